package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/rs/zerolog"

	"github.com/earshot/earshot/query"
)

// mergeNow is the clock of the merge tests: a Wednesday noon, so that the
// week before (ended Monday 00:00, 36 h ago) is complete and settled, and
// the current week is not.
var mergeNow = time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC)

func mergeOpts(now func() time.Time) Options {
	o := testOpts()
	o.Clock = now
	return o
}

// mergeCorpus commits n generated mentions spread over the 45 days before
// mergeNow, in commits of 30 each followed by a Sync, so that every week's
// partition is written many times and keeps several segments.
func mergeCorpus(t *testing.T, dir string, n int) *Store {
	t.Helper()
	var clock atomic.Int64 // nanoseconds after mergeNow
	s, err := Open(dir, mergeOpts(func() time.Time { return mergeNow.Add(time.Duration(clock.Load())) }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	s.idx.createConfig = manySegments()
	r := rand.New(rand.NewSource(7))
	span := int64(45 * 24 * time.Hour)
	var batch []Mention
	for i := range n {
		m := genMention(r, i)
		m.Published = mergeNow.Add(-time.Duration(r.Int63n(span)))
		m.Fetched = m.Published.Add(time.Minute)
		batch = append(batch, m)
		if len(batch) == 30 || i == n-1 {
			if _, err := s.Commit("gen", batch, nil); err != nil {
				t.Fatal(err)
			}
			syncT(t, s)
			batch = batch[:0]
		}
	}
	clock.Store(int64(mergeQuiet)) // every partition is quiet now
	return s
}

// battery runs every kind of search the API makes — keyword, phrase,
// boolean, everything; any time, 7 and 30 days, a window cutting weeks;
// each sort; filters; every facet; two pages — and returns each result as
// text: total, hits with scores, facets. In relevance order, hits whose
// score ties the first page's cut are shown by score alone: which of
// equal scores fall on which page follows the index's internal order
// (search.go, setSort), which any merge changes, bleve's own included.
func battery(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	queries := []string{"", "battery", `"battery life"`, "Acme OR Globex", "kubernetes -outage", "배터리", "launch AND price"}
	windows := [][2]time.Time{
		{},
		{mergeNow.Add(-7 * 24 * time.Hour), {}},
		{mergeNow.Add(-30 * 24 * time.Hour), {}},
		{mergeNow.Add(-40*24*time.Hour - 5*time.Hour), mergeNow.Add(-9*24*time.Hour - 3*time.Hour)},
	}
	all := []string{FacetBrand, FacetNetwork, FacetLang, FacetKind, FacetSentiment, FacetDay}
	for qi, qs := range queries {
		var q query.Node
		if qs != "" {
			var err error
			if q, err = query.Parse(qs); err != nil {
				t.Fatal(err)
			}
		}
		for wi, w := range windows {
			for si, sort := range []string{SortNewest, SortRelevance, SortEngagement} {
				req := SearchRequest{Query: q, From: w[0], To: w[1], Sort: sort, Size: 50, Facets: all}
				if (qi+wi+si)%3 == 0 {
					req.Brands = []string{"Acme"}
				}
				if (qi+wi)%4 == 1 {
					req.Langs = []string{"ko"}
				}
				cut := 0.0 // relevance: the lowest score of a full first page
				for page := 1; page <= 2; page++ {
					req.Page = page
					res := find(t, s, req)
					keys := hitKeys(res, sort)
					for i, h := range res.Hits {
						if h.Score == cut && cut > 0 {
							keys[i] = fmt.Sprintf("(tie) %g", h.Score)
						}
					}
					if n := len(res.Hits); page == 1 && sort == SortRelevance && n > 0 && uint64(n) < res.Total {
						cut = res.Hits[n-1].Score
					}
					out = append(out, fmt.Sprintf("%q %d %s p%d brands=%v langs=%v: total %d (bound %v) hits %v facets %v",
						qs, wi, sort, page, req.Brands, req.Langs, res.Total, res.TotalIsUpperBound, keys, res.Facets))
				}
			}
		}
	}
	return out
}

// manySegments is a partition config under which bleve's own merger
// leaves up to 100 small segments a tier, as it leaves a real week's
// larger ones: the small test corpus then keeps several segments a week.
func manySegments() map[string]any {
	d := mergeplan.DefaultMergePlanOptions
	return map[string]any{"scorchMergePlanOptions": map[string]any{
		"MaxSegmentsPerTier": 100, "MaxSegmentSize": d.MaxSegmentSize, "TierGrowth": d.TierGrowth,
		"SegmentsPerMergeTask": d.SegmentsPerMergeTask, "FloorSegmentSize": 1, "ReclaimDeletesWeight": d.ReclaimDeletesWeight,
	}}
}

func sameBattery(t *testing.T, what string, want, got []string) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%s: %d results, want %d", what, len(got), len(want))
	}
	for i := range want {
		if want[i] != got[i] {
			t.Fatalf("%s changed a result:\nbefore %s\nafter  %s", what, want[i], got[i])
		}
	}
}

func segmentsByWeek(t *testing.T, s *Store) map[string]PartitionSegments {
	t.Helper()
	ps, err := s.IndexSegments()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]PartitionSegments{}
	for _, p := range ps {
		out[p.Week] = p
	}
	return out
}

// mergeAll runs MergeIndex until nothing is due and returns the weeks
// merged, in order.
func mergeAll(t *testing.T, s *Store) []string {
	t.Helper()
	var weeks []string
	for {
		m, ok, err := s.MergeIndex(context.Background(), MergeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return weeks
		}
		if m.Dropped || m.SegmentsAfter != 1 || m.SegmentsBefore < 2 || m.Rounds < 1 {
			t.Fatalf("merge %+v: want one segment from several", m)
		}
		weeks = append(weeks, m.Week)
		if len(weeks) > 20 {
			t.Fatalf("merging does not end: %v", weeks)
		}
	}
}

// A merge folds every complete week into one segment, newest first, and
// leaves the current week alone; every search answers exactly as before,
// also after a reopen; a late mention written into a merged week is found.
func TestMergeIndexKeepsResults(t *testing.T) {
	dir := t.TempDir()
	s := mergeCorpus(t, dir, 1500)
	// Retention's cut-off falls inside the oldest full week: its pruned
	// mentions are deleted one by one, and the merge drops them for good.
	if _, err := s.Prune(context.Background(), mergeNow.Add(-40*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	before := segmentsByWeek(t, s)
	cur := weekOf(mergeNow).String()
	var due []string
	for _, w := range s.idx.weeks() {
		p := before[w.String()]
		if p.Mergeable {
			due = append(due, p.Week)
		}
		if p.Segments < 2 && w.String() != cur {
			t.Logf("week %s has %d segment(s)", p.Week, p.Segments)
		}
	}
	if len(due) < 5 || before[cur].Segments < 2 || before[cur].Mergeable {
		t.Fatalf("corpus does not exercise the merge: due %v, segments %+v", due, before)
	}
	want := battery(t, s)
	merged := mergeAll(t, s)
	if !reflect.DeepEqual(merged, due) {
		t.Errorf("merged %v, want the due weeks newest first %v", merged, due)
	}
	after := segmentsByWeek(t, s)
	for w, p := range after {
		switch {
		case w == cur && p.Segments != before[cur].Segments:
			t.Errorf("current week %s merged: %d segments, was %d", w, p.Segments, before[cur].Segments)
		case w != cur && p.Segments != 1:
			t.Errorf("week %s: %d segments after the merge", w, p.Segments)
		}
		if p.Docs != before[w].Docs {
			t.Errorf("week %s: %d documents after the merge, %d before", w, p.Docs, before[w].Docs)
		}
	}
	sameBattery(t, "merging", want, battery(t, s))

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, logs := reopenMerge(t, dir)
	if strings.Contains(logs.String(), "rebuilding") {
		t.Errorf("reopen after merging rebuilt: %s", logs)
	}
	sameBattery(t, "reopening after merging", want, battery(t, s))

	// A late mention in a merged week: found at once, in a second segment.
	late := mk("late", "", "zeppelin battery", 0, "Acme")
	late.Published = mergeNow.Add(-20 * 24 * time.Hour)
	commitT(t, s, late)
	syncT(t, s)
	res := find(t, s, SearchRequest{Query: term("zeppelin"), From: mergeNow.Add(-30 * 24 * time.Hour)})
	if got := ids(res); !reflect.DeepEqual(got, []string{"late"}) {
		t.Fatalf("late mention in a merged week: hits %v", got)
	}
	if p := segmentsByWeek(t, s)[weekOf(late.Published).String()]; p.Segments+p.InMemory != 2 || p.Mergeable {
		t.Errorf("merged week after a late write: %+v, want 2 segments, not due while it was just written", p)
	}
}

func reopenMerge(t *testing.T, dir string) (*Store, *strings.Builder) {
	t.Helper()
	var buf strings.Builder
	opts := mergeOpts(func() time.Time { return mergeNow.Add(mergeQuiet) })
	opts.Logger = zerolog.New(&buf)
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, &buf
}

// The rule: a week is due once it ended mergeSettle ago, it was not
// written for mergeQuiet, it is not expired and it has two or more
// persisted segments and none in memory.
func TestMergeDueRule(t *testing.T) {
	w := weekOf(mergeNow) - 1 // Monday 2026-03-02 to Monday 2026-03-09
	end := (w + 1).start()
	if end != time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC) {
		t.Fatalf("week %s ends %s", w, end)
	}
	ps := newPartSet(t.TempDir(), noFloor)
	cases := []struct {
		name          string
		w             week
		now, written  time.Time
		persisted, im int
		floor         week
		want          bool
	}{
		{"settled", w, end.Add(mergeSettle), time.Time{}, 2, 0, noFloor, true},
		{"a nanosecond before settled", w, end.Add(mergeSettle - 1), time.Time{}, 9, 0, noFloor, false},
		{"the week just ended", w, end, time.Time{}, 9, 0, noFloor, false},
		{"the current week", w + 1, end.Add(6 * 24 * time.Hour), time.Time{}, 9, 0, noFloor, false},
		{"the week before, long after", w - 1, end.Add(mergeSettle), time.Time{}, 9, 0, noFloor, true},
		{"written just under quiet ago", w, end.Add(48 * time.Hour), end.Add(48*time.Hour - mergeQuiet + 1), 9, 0, noFloor, false},
		{"written quiet ago", w, end.Add(48 * time.Hour), end.Add(48*time.Hour - mergeQuiet), 9, 0, noFloor, true},
		{"one segment", w, end.Add(48 * time.Hour), time.Time{}, 1, 0, noFloor, false},
		{"a segment in memory", w, end.Add(48 * time.Hour), time.Time{}, 5, 1, noFloor, false},
		{"expired", w, end.Add(48 * time.Hour), time.Time{}, 5, 0, w + 1, false},
		{"the floor's own week", w, end.Add(48 * time.Hour), time.Time{}, 5, 0, w, true},
	}
	for _, c := range cases {
		ps.floor.Store(int32(c.floor))
		ps.written = map[week]time.Time{}
		if !c.written.IsZero() {
			ps.written[c.w] = c.written
		}
		if got := ps.due(c.w, c.now, c.persisted, c.im); got != c.want {
			t.Errorf("%s: due = %v, want %v", c.name, got, c.want)
		}
	}
}

// Retention drops a partition while it merges (before the merge starts,
// and at the same time): the merge reports it dropped, no error; the
// searches agree with the database, and the store reopens without a
// rebuild.
func TestMergeWhileRetentionDrops(t *testing.T) {
	for _, concurrent := range []bool{false, true} {
		t.Run(fmt.Sprintf("concurrent=%v", concurrent), func(t *testing.T) {
			dir := t.TempDir()
			s := mergeCorpus(t, dir, 900)
			oldest := s.idx.weeks()[len(s.idx.weeks())-1]
			// Merge the others first, so the oldest is the one due.
			for _, w := range s.idx.weeks()[:len(s.idx.weeks())-1] {
				if w != weekOf(mergeNow) {
					if _, err := forceMergeWeek(s, w); err != nil {
						t.Fatal(err)
					}
				}
			}
			cut := (oldest + 1).start()
			done := make(chan error, 1)
			s.mergeHook = func() {
				if !concurrent {
					_, err := s.Prune(context.Background(), cut)
					done <- err
					return
				}
				go func() {
					_, err := s.Prune(context.Background(), cut)
					done <- err
				}()
			}
			m, ok, err := s.MergeIndex(context.Background(), MergeOptions{})
			if err != nil || !ok || m.Week != oldest.String() {
				t.Fatalf("merge = %+v %v %v, want week %s", m, ok, err, oldest)
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if !concurrent && !m.Dropped {
				t.Errorf("merge of a dropped partition: %+v", m)
			}
			if _, err := os.Stat(s.idx.path(oldest)); !os.IsNotExist(err) {
				t.Errorf("dropped partition still on disk: %v", err)
			}
			st := s.Stats()
			res := find(t, s, SearchRequest{Size: 1})
			if res.Total != st.Mentions {
				t.Errorf("search finds %d, the database holds %d", res.Total, st.Mentions)
			}
			s.mergeHook = nil
			if _, _, err := s.MergeIndex(context.Background(), MergeOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s, logs := reopenMerge(t, dir)
			if strings.Contains(logs.String(), "rebuilding") {
				t.Errorf("reopen rebuilt: %s", logs)
			}
			if res := find(t, s, SearchRequest{Size: 1}); res.Total != st.Mentions {
				t.Errorf("after reopen search finds %d, the database holds %d", res.Total, st.Mentions)
			}
		})
	}
}

// forceMergeWeek merges w's partition whatever the rule says.
func forceMergeWeek(s *Store, w week) (IndexMerge, error) {
	idx := s.idx.lookup(w)
	m := IndexMerge{Week: w.String()}
	m.SegmentsBefore, _, _ = partSegments(idx)
	return m, mergePart(context.Background(), idx, MergeOptions{}, &m)
}

// A crash mid-merge leaves, depending on the moment, a partial merged file
// no snapshot refers to (killed while writing it), or the old segments'
// files beside the merged one (killed after the merged snapshot was
// persisted, before the old files were removed), or the whole old
// snapshot (killed before persisting). Each state opens without a
// rebuild, answers exactly as before, and the leftovers are removed.
func TestMergeCrashStatesOpen(t *testing.T) {
	dir := t.TempDir()
	s := mergeCorpus(t, dir, 600)
	want := battery(t, s)
	w := weekOf(mergeNow) - 2
	part := s.idx.path(w)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	pre := t.TempDir()
	copyDir(t, part, pre)

	s, _ = reopenMerge(t, dir)
	if merged := mergeAll(t, s); !slices.Contains(merged, w.String()) {
		t.Fatalf("merged %v, not %s", merged, w)
	}
	if got := segmentsByWeek(t, s)[w.String()].Segments; got != 1 {
		t.Fatalf("%d segments after the merge", got)
	}
	// Only the merged segment's file is left: bleve keeps the snapshot
	// before the newest (and its files) until another is persisted.
	if zaps, _ := filepath.Glob(filepath.Join(part, "store", "*.zap")); len(zaps) != 1 {
		t.Errorf("%d segment files after the merge, want 1: %v", len(zaps), zaps)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	post := t.TempDir()
	copyDir(t, part, post)
	partial := func(into string) string {
		// A merged file cut short, named as the next segment would be.
		zaps, _ := filepath.Glob(filepath.Join(into, "store", "*.zap"))
		slices.Sort(zaps)
		b, err := os.ReadFile(zaps[len(zaps)-1])
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(into, "store", "ffffffffffff.zap")
		if err := os.WriteFile(p, b[:len(b)/3], 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	states := map[string]func() []string{
		"killed while writing the merged file": func() []string {
			replaceDir(t, part, pre)
			return []string{partial(part)}
		},
		"killed before removing the old files": func() []string {
			replaceDir(t, part, post)
			olds, _ := filepath.Glob(filepath.Join(pre, "store", "*.zap"))
			var left []string
			for _, o := range olds {
				p := filepath.Join(part, "store", filepath.Base(o))
				if _, err := os.Stat(p); err == nil {
					t.Errorf("old segment %s kept after the merge", filepath.Base(o))
					continue
				}
				copyFileT(t, o, p)
				left = append(left, p)
			}
			return left
		},
		"killed after the merge, a second merge's file half written": func() []string {
			replaceDir(t, part, post)
			return []string{partial(part)}
		},
	}
	for name, mk := range states {
		leftovers := mk()
		if len(leftovers) == 0 {
			t.Fatalf("%s: no leftover files: the state is not simulated", name)
		}
		s, logs := reopenMerge(t, dir)
		if strings.Contains(logs.String(), "rebuilding") {
			t.Errorf("%s: reopen rebuilt: %s", name, logs)
		}
		sameBattery(t, name, want, battery(t, s))
		for _, p := range leftovers {
			if _, err := os.Stat(p); !os.IsNotExist(err) {
				t.Errorf("%s: leftover %s not removed at open (%v)", name, filepath.Base(p), err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func replaceDir(t *testing.T, dst, src string) {
	t.Helper()
	if err := os.RemoveAll(dst); err != nil {
		t.Fatal(err)
	}
	copyDir(t, src, dst)
}

func copyFileT(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A merge cancelled (the daemon stopping) returns the context's error and
// leaves the partition as it was; the next pass merges it.
func TestMergeCancelled(t *testing.T) {
	s := mergeCorpus(t, t.TempDir(), 300)
	want := battery(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	s.mergeHook = cancel
	m, ok, err := s.MergeIndex(ctx, MergeOptions{Pause: 1})
	if !ok || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled merge = %+v %v %v, want context.Canceled", m, ok, err)
	}
	if p := segmentsByWeek(t, s)[m.Week]; p.Segments != m.SegmentsBefore || !p.Mergeable {
		t.Errorf("after a cancelled merge %+v, want %d segments, still due", p, m.SegmentsBefore)
	}
	sameBattery(t, "a cancelled merge", want, battery(t, s))
	s.mergeHook = nil
	if got := mergeAll(t, s); len(got) == 0 || got[0] != m.Week {
		t.Errorf("next pass merged %v, want %s first", got, m.Week)
	}
	sameBattery(t, "merging after a cancelled merge", want, battery(t, s))
}

// docs/operations.md states the rule's figures; they come from the code.
func TestMergeRuleDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(doc)), " ")
	for _, want := range []string{
		fmt.Sprintf("its week ended at least **%d hours** ago", int(mergeSettle.Hours())),
		fmt.Sprintf("it was **not written for %d minutes**", int(mergeQuiet.Minutes())),
		"it has **two or more** segments and none still in memory",
		fmt.Sprintf("after each merge round the merge sleeps %s as the round took", map[float64]string{1: "as long"}[DefaultMergePause]),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("docs/operations.md does not say %q", want)
		}
	}
}
