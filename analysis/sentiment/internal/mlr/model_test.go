package mlr

import (
	"math"
	"slices"
	"testing"
)

func testModel() *Model {
	m := &Model{Lang: "en", FeatVersion: 3, Bits: MinBits, Bias: [K]float32{0.5, 0, -0.5}, Temp: 2, Band: 0.2, Prior: 0.5, W: make([]float32, K<<MinBits)}
	copy(m.W[K*1:], []float32{1, 0, -1})
	copy(m.W[K*2:], []float32{0, 0.25, 0.75})
	return m
}

// Logits, the prior and the temperature, worked by hand.
func TestScoreHandComputed(t *testing.T) {
	m := testModel()
	// bucket 1 with value 2: +2, 0, -2; bucket 2|1<<MinBits (masked to 2)
	// with value 1: 0, 0.25, 0.75. Plus bias: 2.5, 0.25, -1.75.
	z := m.Logits([]Feat{{Idx: 1, Val: 2}, {Idx: 2 | 1<<MinBits, Val: 1}})
	if want := [K]float64{2.5, 0.25, -1.75}; z != want {
		t.Fatalf("logits %v, want %v", z, want)
	}
	// Prior 0.5 × compound 1: 2.0, 0.25, -1.25; temperature 2: 1, 0.125, -0.625.
	p := m.Probs(m.AddPrior(z, 1))
	e := [K]float64{math.Exp(1), math.Exp(0.125), math.Exp(-0.625)}
	sum := e[0] + e[1] + e[2]
	for c := range p {
		if math.Abs(p[c]-e[c]/sum) > 1e-12 {
			t.Errorf("P[%d] = %v, want %v", c, p[c], e[c]/sum)
		}
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	m := testModel()
	b, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Encode(m)
	if !slices.Equal(b, again) {
		t.Fatal("Encode is not deterministic")
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Lang != "en" || got.FeatVersion != 3 || got.Bits != MinBits || got.Bias != m.Bias || got.Temp != 2 || got.Band != 0.2 || got.Prior != 0.5 {
		t.Fatalf("header: %+v", got)
	}
	for i, w := range m.W {
		if math.Abs(float64(got.W[i]-w)) > 1e-4 {
			t.Fatalf("weight %d: %v, want %v", i, got.W[i], w)
		}
	}
	bad := slices.Clone(b)
	bad[len(bad)/2] ^= 1
	for name, in := range map[string][]byte{"corrupt": bad, "short": b[:10], "empty": nil, "magic": append([]byte("XXXX"), b[4:]...)} {
		if _, err := Decode(in); err == nil {
			t.Errorf("%s model decoded", name)
		}
	}
	for name, mut := range map[string]func(*Model){
		"temperature": func(m *Model) { m.Temp = 0 },
		"band":        func(m *Model) { m.Band = 1 },
		"prior":       func(m *Model) { m.Prior = float32(math.Inf(1)) },
		"weight":      func(m *Model) { m.W[3] = float32(math.NaN()) },
		"lang":        func(m *Model) { m.Lang = "eng" },
		"bits":        func(m *Model) { m.Bits = MaxBits + 1 },
	} {
		x := testModel()
		mut(x)
		if _, err := Encode(x); err == nil {
			t.Errorf("Encode accepted a bad %s", name)
		}
	}
}
