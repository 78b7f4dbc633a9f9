package query

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseValid(t *testing.T) {
	w := func(s string) Term { return Term{Text: s} }
	tests := []struct {
		in    string
		want  Node
		canon string
	}{
		{"acme", w("acme"), "acme"},
		{"acme battery", And{[]Node{w("acme"), w("battery")}}, "acme AND battery"},
		{"acme AND battery", And{[]Node{w("acme"), w("battery")}}, "acme AND battery"},
		{"a OR b c", Or{[]Node{w("a"), And{[]Node{w("b"), w("c")}}}}, "a OR b AND c"},
		{"(a OR b) c", And{[]Node{Or{[]Node{w("a"), w("b")}}, w("c")}}, "(a OR b) AND c"},
		{`"road runner" acme`, And{[]Node{Term{Text: "road runner", Phrase: true}, w("acme")}}, `"road runner" AND acme`},
		{"batter*", Term{Text: "batter", Prefix: true}, "batter*"},
		{"acme NOT coyote", And{[]Node{w("acme"), Not{w("coyote")}}}, "acme AND NOT coyote"},
		{"acme -coyote", And{[]Node{w("acme"), Not{w("coyote")}}}, "acme AND NOT coyote"},
		{`acme -"road runner"`, And{[]Node{w("acme"), Not{Term{Text: "road runner", Phrase: true}}}}, `acme AND NOT "road runner"`},
		{"acme -(a OR b)", And{[]Node{w("acme"), Not{Or{[]Node{w("a"), w("b")}}}}}, "acme AND NOT (a OR b)"},
		{"acme NOT NOT b", And{[]Node{w("acme"), Not{Not{w("b")}}}}, "acme AND NOT NOT b"},
		{"acme NEAR/3 battery", Near{w("acme"), w("battery"), 3}, "acme NEAR/3 battery"},
		{"acme NEAR battery", Near{w("acme"), w("battery"), 5}, "acme NEAR/5 battery"},
		{`"acme corp" NEAR/50 batter*`, Near{Term{Text: "acme corp", Phrase: true}, Term{Text: "batter", Prefix: true}, 50}, `"acme corp" NEAR/50 batter*`},
		{"a NEAR/2 b OR c", Or{[]Node{Near{w("a"), w("b"), 2}, w("c")}}, "a NEAR/2 b OR c"},
		{"x a NEAR/2 b", And{[]Node{w("x"), Near{w("a"), w("b"), 2}}}, "x AND a NEAR/2 b"},
		{"cats and dogs or not", And{[]Node{w("cats"), w("and"), w("dogs"), w("or"), w("not")}}, "cats AND and AND dogs AND or AND not"},
		{"삼성 OR 아크미", Or{[]Node{w("삼성"), w("아크미")}}, "삼성 OR 아크미"},
		{"e-mail acme's", And{[]Node{w("e-mail"), w("acme's")}}, "e-mail AND acme's"},
		{"a AND (b AND c)", And{[]Node{w("a"), And{[]Node{w("b"), w("c")}}}}, "a AND (b AND c)"},
		{"((a))", w("a"), "a"},
		{"  a\tOR\nb ", Or{[]Node{w("a"), w("b")}}, "a OR b"},
		{"a (b NOT c)", And{[]Node{w("a"), And{[]Node{w("b"), Not{w("c")}}}}}, "a AND (b AND NOT c)"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
		if s := String(got); s != tt.canon {
			t.Errorf("String(Parse(%q)) = %q, want %q", tt.in, s, tt.canon)
		}
		back, err := Parse(String(got))
		if err != nil || !reflect.DeepEqual(back, got) {
			t.Errorf("round trip of %q: %#v, %v", tt.in, back, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in  string
		pos int
		msg string
	}{
		{"", 0, "empty query"},
		{"   ", 0, "empty query"},
		{"(a", 0, "unclosed parenthesis"},
		{"a (b (c)", 2, "unclosed parenthesis"},
		{"a)", 1, "unmatched closing parenthesis"},
		{")", 0, "unmatched closing parenthesis"},
		{"()", 0, "empty parentheses"},
		{"a AND", 2, "AND needs a right-hand operand"},
		{"AND a", 0, "AND needs a left-hand operand"},
		{"a OR", 2, "OR needs a right-hand operand"},
		{"a OR OR b", 2, "OR needs a right-hand operand"},
		{"OR a", 0, "OR needs a left-hand operand"},
		{"a (OR b)", 3, "OR needs a left-hand operand"},
		{"a NOT", 2, "NOT needs an operand"},
		{"NOT foo", 0, "query needs a term that is not negated"},
		{"-foo", 0, "query needs a term that is not negated"},
		{"NOT a NOT b", 0, "query needs a term that is not negated"},
		{"a OR NOT b", 5, "every OR branch needs a term that is not negated"},
		{"x (NOT a OR b)", 3, "every OR branch needs a term that is not negated"},
		{`"abc`, 0, "unterminated quote"},
		{`a "b" "c`, 6, "unterminated quote"},
		{`""`, 0, "empty phrase"},
		{`a "  "`, 2, "empty phrase"},
		{`"!!"`, 0, "phrase \"!!\" has no letters or digits"},
		{"a !!", 2, "term \"!!\" has no letters or digits"},
		{"ba*er", 2, "wildcard * is only allowed at the end of a word"},
		{"*ba", 0, "compound search *word takes one Korean word of 2 syllables or more"},
		{"a *폰", 2, "compound search *word takes one Korean word of 2 syllables or more"},
		{"*배터리*", 0, "wildcard * is only allowed at the end of a word"},
		{"*보조-배터리", 0, "compound search *word takes one Korean word"},
		{"a *", 2, "wildcard * needs a prefix"},
		{"a - b", 2, "dangling -"},
		{"a NEAR/0 b", 2, "bad NEAR: distance 0 is outside 1..50"},
		{"a NEAR/51 b", 2, "bad NEAR: distance 51 is outside 1..50"},
		{"a NEAR/x b", 2, "bad NEAR: write NEAR/n"},
		{"a NEAR/ b", 2, "bad NEAR: write NEAR/n"},
		{"a NEAR/99999 b", 2, "bad NEAR: write NEAR/n"},
		{"a NEAR", 2, "NEAR needs a term on its right"},
		{"NEAR a", 0, "NEAR needs a left-hand operand"},
		{"a NEAR (b c)", 2, "NEAR operands must be single words or phrases"},
		{"NOT a NEAR b", 6, "NEAR operands must be single words or phrases"},
		{"a NEAR b NEAR c", 9, "NEAR cannot be chained"},
		{"a \xff", 2, "query is not valid UTF-8"},
		{strings.Repeat("a ", 2049), MaxQueryLen, "query too long"},
		{strings.Repeat("(", 33) + "a" + strings.Repeat(")", 33), 32, "query nested too deeply"},
		{"a " + strings.Repeat("NOT ", 33) + "b", 2 + 32*4, "query nested too deeply"},
		{strings.Repeat("w ", 257), 512, "too many terms (max 256)"},
	}
	for _, tt := range tests {
		n, err := Parse(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%.40q) = %v, %v; want SyntaxError", tt.in, n, err)
			continue
		}
		if se.Pos != tt.pos || !strings.HasPrefix(se.Msg, tt.msg) {
			t.Errorf("Parse(%.40q): error %q at %d, want %q at %d", tt.in, se.Msg, se.Pos, tt.msg, tt.pos)
		}
		if se.Error() != se.Msg {
			t.Errorf("Error() = %q", se.Error())
		}
	}
}

func TestParseLimitsAccepted(t *testing.T) {
	for _, q := range []string{
		strings.Repeat("(", 32) + "a" + strings.Repeat(")", 32),
		strings.TrimSpace(strings.Repeat("w ", 256)),
		"x" + strings.Repeat(" ", MaxQueryLen-1),
	} {
		if _, err := Parse(q); err != nil {
			t.Errorf("Parse(%.30q...): %v", q, err)
		}
	}
}

func TestStringQuotesUnreadableWords(t *testing.T) {
	n := And{[]Node{Term{Text: "AND"}, Term{Text: "two words"}, Term{Text: "-x"}}}
	got := String(n)
	if got != `"AND" AND "two words" AND "-x"` {
		t.Fatalf("String = %q", got)
	}
	if _, err := Parse(got); err != nil {
		t.Fatalf("Parse(String) = %v", err)
	}
}
