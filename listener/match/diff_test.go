package match

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestMatchAgreesWithNaive checks the automaton against the naive
// reference on generated configurations full of overlapping, prefix-sharing
// Latin and Hangul terms.
func TestMatchAgreesWithNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 20 {
		brands := genBrands(r, 50+r.IntN(100), 5)
		m, err := New(brands, nil)
		if err != nil {
			t.Fatal(err)
		}
		ref := newNaive(brands)
		hits := 0
		for range 50 {
			in := Input{Title: genPost(r, brands, 40), Text: genPost(r, brands, 500)}
			got, want := m.Match(in).Brands, ref.match(in)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d: Match(%q) = %v, naive %v", round, in, got, want)
			}
			hits += len(got)
		}
		if hits == 0 {
			t.Fatalf("round %d: generator produced no mentions", round)
		}
	}
}
