package report

import (
	"bytes"
	"runtime"
	"testing"
	"time"
)

// TestSameBytesAnyProcs: Build runs the phrase sample and the word counts
// beside the rollups, and tags the sample with GOMAXPROCS workers; the
// report's bytes must not depend on how many there are, nor on whether
// the sample's phrases were tagged now or kept by an earlier report.
func TestSameBytesAnyProcs(t *testing.T) {
	s := genStore(t, 6000)
	cfg := fixtureCfg(t, "")
	req := Request{Config: cfg, End: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), Now: fixNow}
	var phrases, terms int
	render := func(procs int, src Source) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		r := buildT(t, src, req)
		phrases, terms = 0, 0
		for _, bt := range r.Emerging.Brands {
			phrases, terms = phrases+len(bt.Phrases), terms+len(bt.Terms)
		}
		var b bytes.Buffer
		if err := Render(&b, r, "json"); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	one := render(1, tagAlways{s})
	if phrases == 0 || terms == 0 {
		t.Fatalf("the report has %d emerging phrases and %d words: the test shows nothing", phrases, terms)
	}
	for _, procs := range []int{4, 2, 4} {
		if got := render(procs, tagAlways{s}); got != one {
			t.Errorf("GOMAXPROCS %d: the report differs from GOMAXPROCS 1", procs)
		}
	}
	for _, procs := range []int{4, 1, 2} { // the first tags and keeps, the others read
		if got := render(procs, s); got != one {
			t.Errorf("GOMAXPROCS %d, kept phrases: the report differs from GOMAXPROCS 1 tagging", procs)
		}
	}
}
