package sentiment

import (
	"os"
	"testing"
)

func TestDbgCmp(t *testing.T) {
	a := newTestAnalyzer(t)
	f, _ := os.Open("testdata/brandtalk/comparative.tsv")
	data, err := ReadComparative(f)
	if err != nil {
		t.Fatal(err)
	}
	fig := EvalComparative(a, data)
	t.Logf("%+v", fig)
	for _, d := range data {
		bs := make([]BrandTerms, len(d.Brands))
		for i, b := range d.Brands {
			bs[i] = BrandTerms{Name: b.Brand, Terms: b.Terms}
		}
		_, per := a.AnalyzeBrands(d.Text, Context{}, bs)
		for i, b := range d.Brands {
			if per[i].Label != b.Label {
				t.Logf("%s want %s got %s (%s) %q", b.Brand, b.Label, per[i].Label, per[i].Rule, d.Text)
			}
		}
	}
}
