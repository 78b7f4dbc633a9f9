package train

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// sample reads testdata/train-sample.tsv: the first 3,000 reviews of the
// full training file (see testdata/README.md).
func sample(t *testing.T) []Example {
	t.Helper()
	f, err := os.Open("testdata/train-sample.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ex, err := ReadTSV(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 3000 {
		t.Fatalf("read %d examples, want 3000", len(ex))
	}
	return ex
}

// Two trainings on the same data write the same bytes.
func TestTrainIsReproducible(t *testing.T) {
	all := sample(t)
	ex, heldOut := all[:2000], all[2000:]
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
	t.Logf("train accuracy %.3f on %d examples", st.TrainAccuracy, len(ex))
	if st.TrainAccuracy < 0.8 {
		t.Errorf("train accuracy %.3f on %d examples, want >= 0.8", st.TrainAccuracy, len(ex))
	}
	acc, err := Accuracy(a, heldOut)
	t.Logf("held-out accuracy %.3f on %d examples", acc, len(heldOut))
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
