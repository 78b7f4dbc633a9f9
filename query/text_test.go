package query

import (
	"reflect"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ACME Corp", "acme corp"},
		{"ＡＣＭＥ", "acme"},
		{"Ａｃｍｅ！", "acme!"},
		{"ﬁne", "fine"},
		{"e\u0301", "\u00e9"}, // composed
		{"ΣΊΣΥΦΟΣ", "σίσυφοσ"},
		{"삼성", "삼성"}, // conjoining jamo compose
		{"ｱｸﾐ", "アクミ"}, // halfwidth katakana
		{"", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokenize(t *testing.T) {
	type tk = Token
	tests := []struct {
		in   string
		want []Token
	}{
		{"", nil},
		{"  ...  ", nil},
		{"Acme's #acme", []tk{{"acme", 0, 4, 0}, {"s", 5, 6, 1}, {"acme", 8, 12, 2}}},
		{"ＡＣＭＥ-x", []tk{{"acme", 0, 12, 0}, {"x", 13, 14, 1}}},
		{"Acme의 제품", []tk{{"acme", 0, 4, 0}, {"의", 4, 7, 1}, {"제품", 8, 14, 2}}},
		{"아크미(Acme)", []tk{{"아크미", 0, 9, 0}, {"acme", 10, 14, 1}}},
		{"삼성ㅋㅋ", []tk{{"삼성", 0, 6, 0}, {"\u110f\u110f", 6, 12, 1}}},
		{"東京mp3", []tk{{"東", 0, 3, 0}, {"京", 3, 6, 1}, {"mp3", 6, 9, 2}}},
		{"café!", []tk{{"café", 0, 5, 0}}},
		{"cafe\u0301 x", []tk{{"café", 0, 6, 0}, {"x", 7, 8, 1}}},
		{"\xffab\xfe", []tk{{"ab", 1, 3, 0}}},
	}
	for _, tt := range tests {
		if got := Tokenize(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokenize(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	joined, _ := TokenizeJoined("Hello,  World — 삼성은!")
	if joined != "hello world 삼성은" {
		t.Errorf("TokenizeJoined = %q", joined)
	}
}

func TestParticles(t *testing.T) {
	chains := map[string]bool{
		"은": true, "는": true, "이": true, "에서": true, "에서는": true, "에게도": true, "이랑은": true,
		"으로": true, "까지만": true, "입니다": true,
		"": false, "동": false, "트": false, "에서는은은": false, "abc": false, "는x": false,
	}
	for s, want := range chains {
		if got := IsEndingChain(s); got != want {
			t.Errorf("IsEndingChain(%q) = %v, want %v", s, got, want)
		}
	}
	strip := []struct{ in, want string }{
		{"삼성은", "삼성"}, {"삼성이", "삼성"}, {"삼성의", "삼성"}, {"삼성에서", "삼성"},
		{"삼성에서는", "삼성"}, {"삼성이랑", "삼성"}, {"삼성이랑은", "삼성"}, {"토스에게도", "토스"},
		{"삼성", "삼성"}, {"삼성동", "삼성동"}, {"토스트", "토스트"},
		{"은", "은"}, {"에서", "에서"}, {"나는", "나는"}, // one syllable is not cut before one more
		{"acme", "acme"}, {"acme는", "acme는"}, {"", ""},
	}
	for _, tt := range strip {
		if got := KoreanStem(tt.in); got != tt.want {
			t.Errorf("KoreanStem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
