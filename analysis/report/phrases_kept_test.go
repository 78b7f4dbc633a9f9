package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/earshot/earshot/analysis/keywords"
	"github.com/earshot/earshot/store"
)

// tagAlways is a store that keeps no phrases: every report tags its whole
// sample, as before phrases were kept.
type tagAlways struct{ *store.Store }

func (tagAlways) KeptPhrases(ids []string, _ string) ([][]string, []bool, error) {
	return make([][]string, len(ids)), make([]bool, len(ids)), nil
}

func (tagAlways) KeepPhrases(string, []string, [][]string) error { return nil }

// keepCounter counts the mentions a report tags (and so keeps).
type keepCounter struct {
	*store.Store
	tagged int
}

func (k *keepCounter) KeepPhrases(version string, ids []string, ps [][]string) error {
	k.tagged += len(ids)
	return k.Store.KeepPhrases(version, ids, ps)
}

func renderJSON(t *testing.T, r *Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, r, "json"); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// A report reading the phrases kept by an earlier one is byte-identical
// to one tagging every post; it tags only what is not kept (for this
// extractor version), and keeps what it tagged.
func TestKeptPhrasesSameBytes(t *testing.T) {
	s := genStore(t, 6000)
	req := Request{Config: fixtureCfg(t, ""), End: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), Now: fixNow}
	r := buildT(t, tagAlways{s}, req)
	want, n := renderJSON(t, r), 0
	for _, b := range r.Emerging.Brands {
		n += len(b.Phrases)
	}
	if n == 0 {
		t.Fatal("the report has no emerging phrases: the test shows nothing")
	}
	k := &keepCounter{Store: s}
	if got := renderJSON(t, buildT(t, k, req)); got != want {
		t.Error("first report (tagging and keeping) differs from tagging alone")
	}
	first := k.tagged
	if first == 0 {
		t.Fatal("the first report kept no phrases")
	}
	k.tagged = 0
	if got := renderJSON(t, buildT(t, k, req)); got != want {
		t.Error("the report reading kept phrases differs from tagging")
	}
	if k.tagged != 0 {
		t.Errorf("second report tagged %d mentions, want 0 (all kept)", k.tagged)
	}

	// Phrases kept by another extractor version are tagged again.
	ids, win := pickedIDs(t, s, req)
	if len(ids) != first {
		t.Fatalf("%d picked mentions, first report tagged %d", len(ids), first)
	}
	junk := make([][]string, len(ids))
	for i := range junk {
		junk[i] = []string{"stale phrase"}
	}
	if err := s.KeepPhrases("old-version", ids, junk); err != nil {
		t.Fatal(err)
	}
	if got := renderJSON(t, buildT(t, k, req)); got != want {
		t.Error("phrases of another version changed the report")
	}
	if k.tagged != first {
		t.Errorf("after a version change the report tagged %d mentions, want %d", k.tagged, first)
	}

	// And the kept phrases are what the report counts.
	wrong := make([][]string, len(win))
	for i := range wrong {
		wrong[i] = []string{"zebra crossing"}
	}
	if err := s.KeepPhrases(keywords.PhrasesVersion, win, wrong); err != nil {
		t.Fatal(err)
	}
	zebra := false
	for _, b := range buildT(t, k, req).Emerging.Brands {
		for _, p := range b.Phrases {
			zebra = zebra || p.Term == "zebra crossing"
		}
	}
	if !zebra {
		t.Error("the report did not count the kept phrases")
	}
}

// pickedIDs is the phrase sample's mentions for req, in samplePhrases'
// order.
func pickedIDs(t *testing.T, s *store.Store, req Request) (ids, win []string) {
	t.Helper()
	w, err := resolve(&req)
	if err != nil {
		t.Fatal(err)
	}
	_, brands := brandOrder(req.Config)
	per := max(phraseBudget/(3*max(len(brands), 1)), phraseMin)
	byBrand, err := phrasePicks(t.Context(), s, brands, w.start.AddDate(0, 0, -baselineDays), w.start, w.end, per)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, b := range brands {
		win = append(win, byBrand[b].win...)
		for _, id := range append(append([]string{}, byBrand[b].win...), byBrand[b].base...) {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids, win
}

// phrasesVersionGolden is keywords.PhrasesVersion and a digest of what
// Phrases returns for the generator's texts. When Phrases changes its
// output, bump keywords.PhrasesVersion (phrases kept by the old version
// are then tagged again) and set both here.
const phrasesVersionGolden = "prose-v2.1 8129777d96fc1b89"

func TestPhrasesVersion(t *testing.T) {
	ex, err := keywords.Shared()
	if err != nil {
		t.Fatal(err)
	}
	s := genStore(t, 600)
	h := sha256.New()
	n := 0
	err = s.Facts(t.Context(), time.Time{}, time.Now(), func(f *store.Fact) error {
		m, ok, err := s.Get(f.ID)
		if err != nil || !ok {
			return err
		}
		for _, p := range ex.Phrases(m.Title + "\n" + m.Text) {
			h.Write([]byte(p + "\n"))
			n++
		}
		h.Write([]byte{0})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"The new charging cable broke after a week of heavy use.", "보조배터리 발열이 심해요 충전 속도 문제"} {
		for _, p := range ex.Phrases(text) {
			h.Write([]byte(p + "\n"))
			n++
		}
	}
	if n < 50 {
		t.Fatalf("only %d phrases: the digest shows nothing", n)
	}
	got := keywords.PhrasesVersion + " " + hex.EncodeToString(h.Sum(nil))[:16]
	if got != phrasesVersionGolden {
		t.Errorf("Phrases' output or version changed: got %q, golden %q. If the output changed, bump keywords.PhrasesVersion; then set the golden", got, phrasesVersionGolden)
	}
}
