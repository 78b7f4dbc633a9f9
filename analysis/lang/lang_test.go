package lang

import (
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct{ text, want string }{
		{"", ""},
		{"   ", ""},
		{"12345 !!! :) 😍", ""},
		{"I love my new phone, the battery is great", "en"},
		{"Acme X200 battery", "en"},
		{"Amazing!!!", "en"},
		{"배터리가 정말 오래 가요", "ko"},
		{"ㅋㅋㅋㅋ", "ko"},
		{"ㅠㅠ", "ko"},
		{"아크미 배터리 진짜 good", "ko"},
		{"Acme의 배터리는 is great", "ko"},
		{"아크미(Acme) 신제품 나왔네요", "ko"},
		{"I love 삼성 phones so much", "en"},
		{"Je suis très content de ce téléphone", "other"},
		{"El teléfono es muy bueno pero la batería no dura", "other"},
		{"Das Handy ist nicht gut und der Akku ist schlecht", "other"},
		{"Il telefono è molto bello", "other"},
		{"Het is een goede telefoon", "other"},
		{"これはとても良い電話です", "other"},
		{"这个手机很好", "other"},
		{"Это очень хороший телефон", "other"},
		{"Heat 'dome' covers 1 million square miles - msnbc.com: http://example.com/x via @someone", "en"},
		{"\xff\xfe bad bytes but the text is English", "en"},
	}
	for _, tt := range tests {
		if got := Detect(tt.text); got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestDetectLongInputIsBounded(t *testing.T) {
	long := strings.Repeat("좋아요 ", 100000) + strings.Repeat("the end ", 100000)
	if got := Detect(long); got != "ko" {
		t.Errorf("Detect(long) = %q, want ko (first %d words decide)", got, maxWords)
	}
}

func FuzzDetect(f *testing.F) {
	f.Add("아크미 배터리 진짜 good")
	f.Add("\xff@http://")
	f.Fuzz(func(t *testing.T, s string) {
		switch Detect(s) {
		case "", "en", "ko", "other":
		default:
			t.Fatalf("Detect(%q) returned an unknown language", s)
		}
	})
}

func BenchmarkDetect(b *testing.B) {
	texts := []string{
		"I love my new phone, the battery is great but the camera is meh",
		"아크미 배터리 진짜 오래가요 ㅋㅋ 강추합니다",
		"Je suis très content de ce téléphone",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Detect(texts[i%len(texts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "texts/s")
}
