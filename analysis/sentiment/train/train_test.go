package train

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

func subset(t *testing.T, n int) []Example {
	t.Helper()
	f, err := os.Open("../../../testdata/sentiment/ko/train.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ex, err := ReadTSV(f)
	if err != nil {
		t.Fatal(err)
	}
	return ex[:n]
}

// Two trainings on the same data write the same bytes.
func TestTrainIsReproducible(t *testing.T) {
	ex := subset(t, 3000)
	a, st, err := Train(context.Background(), ex, Options{Bits: 16, Epochs: 2})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := Train(context.Background(), ex, Options{Bits: 16, Epochs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two trainings gave different bytes")
	}
	c, _, err := Train(context.Background(), ex, Options{Bits: 16, Epochs: 2, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, c) {
		t.Error("a different seed gave the same bytes: the seed is not used")
	}
	if st.TrainAccuracy < 0.8 {
		t.Errorf("train accuracy %.3f on 3,000 examples, want >= 0.8", st.TrainAccuracy)
	}
	acc, err := Accuracy(a, subset(t, 6000)[3000:])
	if err != nil {
		t.Fatal(err)
	}
	if acc < 0.70 {
		t.Errorf("held-out accuracy %.3f, want >= 0.70", acc)
	}
}

func TestReadTSVErrors(t *testing.T) {
	for _, in := range []string{"id\tdocument\tlabel\n1\tx\t7\n", "1\tonly two\n", "", "id\tdocument\tlabel\n"} {
		if _, err := ReadTSV(strings.NewReader(in)); err == nil {
			t.Errorf("ReadTSV(%q) accepted bad input", in)
		}
	}
	if _, _, err := Train(context.Background(), nil, Options{}); err == nil {
		t.Error("Train accepted no examples")
	}
}
