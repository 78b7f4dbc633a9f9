package komodel

import (
	"slices"
	"testing"
)

func TestFeatures(t *testing.T) {
	x := NewExtractor(20)
	a := slices.Clone(x.Features("핵노잼 ㅋㅋㅋㅋㅋㅋ"))
	b := x.Features("핵노잼   ㅋㅋ")
	if !slices.Equal(a, b) {
		t.Error("laugh length or spacing changed the features")
	}
	if s := slices.Sorted(slices.Values(b)); len(slices.Compact(s)) != len(b) {
		t.Error("features not distinct")
	}
	// The bits marking seen buckets are cleared for the next text.
	if c := slices.Clone(x.Features("핵노잼 ㅋㅋ")); !slices.Equal(c, a) {
		t.Errorf("same text, other features: %v, then %v", a, c)
	}
	if f := x.Features(" \t\n"); len(f) != 0 {
		t.Errorf("blank text has %d features", len(f))
	}
	// The intensifier-stripped word is a feature: 핵노잼 shares 노잼's word feature.
	noJam := newHash(nsWord).str("노잼").sum() & x.mask
	if !slices.Contains(x.Features("핵노잼"), noJam) {
		t.Error("핵노잼 does not emit 노잼")
	}
}

func FuzzFeatures(f *testing.F) {
	f.Add("개꿀잼 ㅋㅋ")
	f.Fuzz(func(t *testing.T, s string) {
		x := NewExtractor(12)
		fs := x.Features(s)
		seen := map[uint32]bool{}
		for _, h := range fs {
			if h >= 1<<12 || seen[h] {
				t.Fatalf("bucket %d out of range or repeated", h)
			}
			seen[h] = true
		}
		if again := x.Features(s); len(again) != len(seen) {
			t.Fatalf("second call: %d features, first %d", len(again), len(seen))
		}
	})
}
