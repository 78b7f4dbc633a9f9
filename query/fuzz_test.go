package query

import (
	"reflect"
	"slices"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"acme", `"road runner" -coyote`, "a NEAR/3 b", "batter* OR (x AND NOT y)", "삼성 OR 아크미",
		"((a)", "NOT a", "a OR NOT b", `"`, "NEAR/7", "-(-a b)", "a NEAR b NEAR c", "ＡＮＤ ａ",
		"*배터리 AND NOT 충전기", "*배터리가 NEAR/2 발열", "*폰", "**배터리", "*배터리*",
	} {
		f.Add(s, "Acme battery road runner 삼성에서는 ＡＣＭＥ")
	}
	f.Fuzz(func(t *testing.T, q, text string) {
		n, err := Parse(q)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("Parse(%q): %T %v", q, err, err)
			}
			se := err.(*SyntaxError)
			if se.Pos < 0 || se.Pos > len(q) && se.Pos != MaxQueryLen {
				t.Fatalf("Parse(%q): position %d out of range", q, se.Pos)
			}
			return
		}
		canon := String(n)
		back, err := Parse(canon)
		if err != nil {
			t.Fatalf("Parse(String(Parse(%q))) = %v (canonical %q)", q, err, canon)
		}
		if !reflect.DeepEqual(back, n) {
			t.Fatalf("round trip of %q via %q: %#v != %#v", q, canon, back, n)
		}
		matched := Eval(n, text)
		hl := Highlight(n, text)
		boundary := map[int]bool{len(text): true}
		for i := range text { // as Go decodes it: invalid bytes are runes of their own
			boundary[i] = true
		}
		prev := -1
		for _, r := range hl {
			if r[0] < 0 || r[1] > len(text) || r[0] >= r[1] || r[0] <= prev {
				t.Fatalf("Highlight(%q, %q): bad range %v in %v", q, text, r, hl)
			}
			if !boundary[r[0]] || !boundary[r[1]] {
				t.Fatalf("Highlight(%q, %q): range %v not on rune boundaries", q, text, r)
			}
			prev = r[1]
		}
		if _, isTerm := n.(Term); isTerm && matched != (len(hl) > 0) {
			t.Fatalf("term %q: Eval %v but Highlight %v", q, matched, hl)
		}
	})
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"Acme's #acme", "삼성에서는ㅋㅋ", "ＡＣＭＥ", "e\u0301", "\xff\xfe", "㍿ ﬁ ①",
		"Acme X2 review: 10/10, Wi-Fi OK", "café Acme의 배터리", "a\u0301b C\u0327"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The byte-at-a-time path for text already in NFKC must split
		// exactly as the rune-by-rune path does.
		if asciiOrHangul(s) && !norm.NFKC.IsNormalString(s) {
			t.Fatalf("asciiOrHangul(%q) but it is not in NFKC", s)
		}
		buf, spans := tokenize(s, nil, nil)
		slow := tokenizer{cur: -1}
		forEachRune(s, slow.add)
		slow.closeTok()
		if string(buf) != string(slow.buf) || !slices.Equal(spans, slow.spans) {
			t.Fatalf("tokenize(%q) = %q %v, rune by rune %q %v", s, buf, spans, slow.buf, slow.spans)
		}
		// TokenizeFields is the two fields tokenized apart, joined by a
		// line break, the text's positions shifted.
		title, text := s[:len(s)/2], s[len(s)/2:]
		tj, tt := TokenizeJoined(title)
		xj, xt := TokenizeJoined(text)
		wantJ := tj + "\n" + xj
		switch {
		case tj == "":
			wantJ = xj
		case xj == "":
			wantJ = tj
		}
		gotJ, gotT := TokenizeFields(title, text, 7)
		if gotJ != wantJ || len(gotT) != len(tt)+len(xt) {
			t.Fatalf("TokenizeFields(%q, %q) = %q with %d tokens, want %q with %d", title, text, gotJ, len(gotT), wantJ, len(tt)+len(xt))
		}
		for i, tk := range gotT {
			want := Token{}
			if i < len(tt) {
				want = tt[i]
			} else {
				want = xt[i-len(tt)]
				want.Pos += len(tt) + 7
			}
			if tk != want {
				t.Fatalf("TokenizeFields(%q, %q) token %d = %+v, want %+v", title, text, i, tk, want)
			}
		}
		toks := Tokenize(s)
		for i, tk := range toks {
			if tk.Text == "" || tk.Pos != i || tk.Start < 0 || tk.End > len(s) || tk.Start >= tk.End {
				t.Fatalf("Tokenize(%q): bad token %+v", s, tk)
			}
			if i > 0 && tk.Start < toks[i-1].Start {
				t.Fatalf("Tokenize(%q): tokens out of order", s)
			}
		}
		_ = KoreanStem(Normalize(s))
	})
}
