package sentiment

import (
	"math"
	"testing"
)

// VADER negates a lexicon word when a negation is among the three words
// before it (vaderSentiment's negated() window), not four.
func TestVADERNegationWindowIsThreeWords(t *testing.T) {
	a := newTestAnalyzer(t)
	plain := score(t, a, "the phone is good", Context{}).Compound
	if plain <= 0 {
		t.Fatalf("precondition: %q compound %v", "the phone is good", plain)
	}
	negated := []string{
		"the phone is not good",            // 1 word before
		"the phone is not red good",        // 2
		"the phone is not red blue good",   // 3
		"the phone isn't red blue good",    // n't, 3
		"the phone is never red blue good", // never, 3
	}
	var first float64
	for i, text := range negated {
		c := score(t, a, text, Context{}).Compound
		if c >= 0 {
			t.Errorf("%q: compound %.4f, want negative (negated)", text, c)
		}
		if i == 0 {
			first = c
		} else if math.Abs(c-first) > 1e-9 {
			t.Errorf("%q: compound %.4f, want %.4f as with the negation next to the word", text, c, first)
		}
	}
	for _, text := range []string{"the phone is not red blue pink good", "not the phone red blue good"} {
		if c := score(t, a, text, Context{}).Compound; math.Abs(c-plain) > 1e-9 {
			t.Errorf("%q: compound %.4f, want %.4f (negation 4+ words away does not count)", text, c, plain)
		}
	}
}
