package query

import (
	"reflect"
	"testing"
)

func TestEval(t *testing.T) {
	tests := []struct {
		q, text string
		want    bool
	}{
		{"acme", "I love Acme's anvils", true},
		{"acme", "Welcome to Acmeville", false},
		{"acme", "ＡＣＭＥ rocks", true},
		{"acme", "#acme", true},
		{"acme battery", "the battery from Acme", true},
		{"acme battery", "the battery", false},
		{"acme OR coyote", "wile e. coyote", true},
		{"acme -coyote", "acme and coyote", false},
		{"acme -coyote", "acme and roadrunner", true},
		{"acme NOT (coyote OR roadrunner)", "acme roadrunner", false},
		{`"road runner"`, "the Road—Runner!", true},
		{`"road runner"`, "the runner road", false},
		{`"road runner"`, "road. \n runner", true},
		{"batter*", "new batteries", true},
		{"batter*", "a bat", false},
		{"batter*", "BATTER", true},
		{"acme NEAR/4 battery", "acme makes a new battery", true},
		{"acme NEAR/3 battery", "acme makes a new battery", false},
		{"acme NEAR/3 battery", "battery made by acme", true},
		{"acme NEAR/2 battery", "acme makes a new battery", false},
		{"acme NEAR/1 battery", "acme battery", true},
		{"acme NEAR battery", "acme 1 2 3 4 battery", true},
		{"acme NEAR battery", "acme 1 2 3 4 5 battery", false},
		{`"acme corp" NEAR/2 batter*`, "batteries by ACME corp", true},
		{"acme NEAR/3 acme", "acme", false},
		{"acme NEAR/3 acme", "acme x acme", true},
		{"삼성", "삼성에서는 새 폰을", true},
		{"삼성", "삼성동에 갔다", false},
		{"토스", "토스트 먹자", false},
		{"토스", "토스랑 같이", true},
		{"삼성 NEAR/2 갤럭시", "갤럭시는 삼성의 폰", true},
		{`"삼성 전자"`, "삼성 전자에서", true},
		{"acme", "Acme의 제품", true},
		{"아크미", "아크미(Acme) 최고", true},
		{"索尼", "我喜欢索尼手机", true},
		{"and", "this and that", true},
	}
	for _, tt := range tests {
		n, err := Parse(tt.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.q, err)
		}
		if got := Eval(n, tt.text); got != tt.want {
			t.Errorf("Eval(%q, %q) = %v, want %v", tt.q, tt.text, got, tt.want)
		}
	}
}

func TestEvalPositionsGap(t *testing.T) {
	// Callers joining fields leave a gap in Pos; phrases must not span it.
	c, err := Compile(Term{Text: "road runner", Phrase: true})
	if err != nil {
		t.Fatal(err)
	}
	toks := append(Tokenize("road"), Tokenize("runner")...)
	toks[1].Pos += 100
	if c.Match(toks) {
		t.Error("phrase matched across a position gap")
	}
	toks[1].Pos = 1
	if !c.Match(toks) {
		t.Error("phrase did not match consecutive positions")
	}
}

func TestCompileErrors(t *testing.T) {
	for _, n := range []Node{nil, Term{Text: "!!"}, Near{Left: Term{Text: "a"}, Right: Term{Text: "b"}}, And{}, Or{}} {
		if _, err := Compile(n); err == nil {
			t.Errorf("Compile(%#v): no error", n)
		}
		if Eval(n, "a b !!") {
			t.Errorf("Eval(%#v) matched", n)
		}
	}
}

func TestHighlight(t *testing.T) {
	tests := []struct {
		q, text string
		want    [][2]int
	}{
		{"acme", "Acme and ACME's", [][2]int{{0, 4}, {9, 13}}},
		{"acme -coyote", "coyote Acme", [][2]int{{7, 11}}},
		{`"road runner" OR road`, "a road runner", [][2]int{{2, 13}}},
		{"acme NEAR/1 battery", "battery x acme battery", [][2]int{{10, 14}, {15, 22}}},
		{"삼성", "난 삼성에서는", [][2]int{{4, 19}}},
		{"ＡＣＭＥ", "ＡＣＭＥ!", [][2]int{{0, 12}}},
		{"acme", "nothing", nil},
	}
	for _, tt := range tests {
		n, err := Parse(tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if got := Highlight(n, tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Highlight(%q, %q) = %v, want %v", tt.q, tt.text, got, tt.want)
		}
	}
}
