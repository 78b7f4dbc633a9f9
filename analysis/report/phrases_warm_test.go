package report

import (
	"slices"
	"testing"
	"time"

	"github.com/earshot/earshot/store"
)

// keepRecorder records the mentions whose phrases are kept, in order.
type keepRecorder struct {
	*store.Store
	ids []string
}

func (k *keepRecorder) KeepPhrases(version string, ids []string, ps [][]string) error {
	k.ids = append(k.ids, ids...)
	return k.Store.KeepPhrases(version, ids, ps)
}

// TagPhrases, called in batches until nothing is left, tags and keeps
// exactly the mentions the report's first build would tag, in the same
// order, each once; the report built afterwards tags nothing and is
// byte-identical to one tagging every post.
func TestTagPhrasesFillsTheReportsSample(t *testing.T) {
	req := Request{Config: fixtureCfg(t, ""), End: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), Now: fixNow}
	cold := &keepRecorder{Store: genStore(t, 6000)}
	want := renderJSON(t, buildT(t, cold, req))
	if len(cold.ids) < 50 {
		t.Fatalf("the report tagged only %d mentions: the test shows little", len(cold.ids))
	}

	// The daemon asks for the default week (End zero: the last complete
	// ISO week before Now), the digest for that week's Sunday: the same.
	daemonReq := Request{Config: req.Config, Period: "week", Now: fixNow}
	warm := &keepRecorder{Store: genStore(t, 6000)}
	const limit = 37
	yields, calls := 0, 0
	for {
		res, err := TagPhrases(t.Context(), warm, daemonReq, limit, func() { yields++ })
		if err != nil {
			t.Fatal(err)
		}
		calls++
		if res.Sample != len(cold.ids) {
			t.Fatalf("call %d: sample of %d mentions, the report's is %d", calls, res.Sample, len(cold.ids))
		}
		if res.Tagged > limit || res.Tagged+res.Left != len(cold.ids)-len(warm.ids)+res.Tagged {
			t.Fatalf("call %d: tagged %d (limit %d), left %d, kept so far %d of %d", calls, res.Tagged, limit, res.Left, len(warm.ids), len(cold.ids))
		}
		if res.Left == 0 {
			break
		}
		if calls > len(cold.ids) {
			t.Fatal("TagPhrases does not converge")
		}
	}
	if !slices.Equal(warm.ids, cold.ids) {
		t.Errorf("the tagger kept %d mentions, the report tags %d; first difference at %d", len(warm.ids), len(cold.ids), firstDiff(warm.ids, cold.ids))
	}
	if yields != len(cold.ids) {
		t.Errorf("yielded %d times for %d posts", yields, len(cold.ids))
	}
	res, err := TagPhrases(t.Context(), warm, req, limit, nil)
	if err != nil || res.Tagged != 0 || res.Left != 0 {
		t.Errorf("a call on a warm store: %+v, %v; want nothing to tag", res, err)
	}
	warm.ids = nil
	if got := renderJSON(t, buildT(t, warm, req)); got != want {
		t.Error("the report after the tagger differs from one tagging every post")
	}
	if len(warm.ids) != 0 {
		t.Errorf("the report after the tagger tagged %d mentions, want 0", len(warm.ids))
	}
	if res, err := TagPhrases(t.Context(), warm, Request{}, limit, nil); err == nil {
		t.Errorf("no config: %+v, want an error", res)
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
