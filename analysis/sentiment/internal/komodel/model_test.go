package komodel

import (
	"slices"
	"testing"
)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	m := &Model{Bits: MinBits, Bias: 0.25, Weights: make([]float32, 1<<MinBits)}
	for i := range m.Weights {
		m.Weights[i] = float32(i%7-3) / 3
	}
	b, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range m.Weights {
		if d := got.Weights[i] - w; d > 1e-4 || d < -1e-4 {
			t.Fatalf("weight %d: %v, want %v", i, got.Weights[i], w)
		}
	}
	bad := slices.Clone(b)
	bad[len(bad)/2] ^= 1
	for name, in := range map[string][]byte{"corrupt": bad, "short": b[:10], "empty": nil, "magic": append([]byte("XXXX"), b[4:]...)} {
		if _, err := Decode(in); err == nil {
			t.Errorf("%s model decoded", name)
		}
	}
}

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
