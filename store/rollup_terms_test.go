package store

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"
)

// TermHoursOf reads what TermHours reads for the brands named, in the
// same order, and nothing for the others, numbering each word once.
func TestTermHoursOf(t *testing.T) {
	s := openT(t, t.TempDir())
	commitChunks(t, s, retentionCorpus(400), 50)
	ctx := context.Background()
	from, to := t0.Add(-time.Hour), t0.Add(400*37*time.Minute)
	for _, brands := range [][]string{{"Globex"}, {"", "Acme", "Globex"}, {"Acme", "Nobody"}, nil} {
		var want, got []TermHour
		if err := s.TermHours(ctx, from, to, func(th TermHour) error {
			if slices.Contains(brands, th.Brand) {
				want = append(want, th)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		ids := map[string]uint32{}
		words := map[uint32]string{}
		if err := s.TermHoursOf(ctx, from, to, brands, func(th TermHour) error {
			for i, tc := range th.Terms { // one ID per word, one word per ID; then compared without
				if id, ok := ids[tc.Term]; ok && id != tc.ID || words[tc.ID] != "" && words[tc.ID] != tc.Term {
					t.Errorf("word %q has ID %d, met before as %d (%q)", tc.Term, tc.ID, ids[tc.Term], words[tc.ID])
				}
				ids[tc.Term], words[tc.ID] = tc.ID, tc.Term
				th.Terms[i].ID = 0
			}
			got = append(got, th)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(ids) > 0 && len(words) != len(ids) {
			t.Errorf("%d words, %d IDs", len(ids), len(words))
		}
		if len(brands) > 0 && brands[0] != "Acme" && len(want) == 0 {
			t.Fatalf("%q: no term hours: the test shows nothing", brands)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: TermHoursOf read %d hours, TermHours %d (or they differ)", brands, len(got), len(want))
		}
	}
}
