package store

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// An index of earshot-index-9 (one partition per month, YYYY-MM.bleve,
// and the database's index_part/YYYY-MM records) is removed at open and
// the weekly partitions are rebuilt from the database.
func TestMonthPartitionsMigrated(t *testing.T) {
	dir := t.TempDir()
	s := openFourMonths(t, dir)
	commitT(t, s, fourMonths()...)
	syncT(t, s)
	// The month partitions as earshot-index-9 wrote them, with their
	// mentions and sequence, built beside the live index.
	months := filepath.Join(t.TempDir(), "index")
	docs, last, err := s.readLog(0, 100)
	if err != nil || len(docs) != 10 {
		t.Fatalf("read log: %d docs, %v", len(docs), err)
	}
	byMonth := map[string][]indexFields{}
	for _, d := range docs {
		name := d.Published.UTC().Format("2006-01")
		byMonth[name] = append(byMonth[name], d)
	}
	for name, ds := range byMonth {
		idx, err := createIndex(filepath.Join(months, name+partSuffix))
		if err != nil {
			t.Fatal(err)
		}
		err = indexInto(idx, ds)
		if err == nil {
			err = idx.SetInternal(internalVersionKey, []byte("earshot-index-9"))
		}
		if err == nil {
			err = setIndexSeq(idx, last)
		}
		if cerr := idx.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		var keys [][]byte
		c := meta.Cursor()
		for k, _ := c.Seek([]byte(partKeyPrefix)); k != nil && strings.HasPrefix(string(k), partKeyPrefix); k, _ = c.Next() {
			keys = append(keys, append([]byte{}, k...))
		}
		for _, k := range keys {
			if err := meta.Delete(k); err != nil {
				return err
			}
		}
		for name := range byMonth {
			if err := meta.Put([]byte(partKeyPrefix+name), seqKey(last)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, indexDir)
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(months, root); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, "2026-02.bleve.new"), 0o750); err != nil { // an interrupted reindex of 9
		t.Fatal(err)
	}
	if got := partitionsOnDisk(t, dir); got != "2026-01.bleve 2026-02.bleve 2026-02.bleve.new 2026-03.bleve 2026-04.bleve" {
		t.Fatalf("month partitions = %s", got)
	}

	s, logs := reopenLogged(t, dir)
	if !strings.Contains(logs.String(), "another version (monthly partitions)") || strings.Contains(logs.String(), "unknown entry") {
		t.Errorf("migration not logged as such: %s", logs)
	}
	if wm := s.watermark.Load(); wm != 0 {
		t.Errorf("watermark = %d, want 0 (every week rebuilt)", wm)
	}
	syncT(t, s)
	if got, want := partitionsOnDisk(t, dir), "2026-W02.bleve 2026-W04.bleve 2026-W06.bleve 2026-W07.bleve 2026-W09.bleve 2026-W11.bleve 2026-W14.bleve 2026-W15.bleve"; got != want {
		t.Errorf("partitions = %s, want %s", got, want)
	}
	res := find(t, s, SearchRequest{Query: term("battery"), Sort: SortNewest, Size: 10})
	if got, want := ids(res), []string{"d2", "d1", "c1", "b3", "b1", "a2", "a1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("battery after migration = %v, want %v", got, want)
	}
	var records []string
	err = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketMeta).Cursor()
		for k, _ := c.Seek([]byte(partKeyPrefix)); k != nil && strings.HasPrefix(string(k), partKeyPrefix); k, _ = c.Next() {
			records = append(records, strings.TrimPrefix(string(k), partKeyPrefix))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(records, " "); got != "2026-W02 2026-W04 2026-W06 2026-W07 2026-W09 2026-W11 2026-W14 2026-W15" {
		t.Errorf("partition records = %s (the monthly ones must go)", got)
	}
	// A second start keeps what the first rebuilt.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_, logs = reopenLogged(t, dir)
	if strings.Contains(logs.String(), "rebuilding") {
		t.Errorf("second start rebuilt: %s", logs)
	}
}

// Searching the partitions wholly inside a window without the time filter
// gives what the filter on every partition gives (hits, order, scores,
// totals, facets), and both agree with the database over random windows:
// week boundaries, midnights, odd instants, open ends.
func TestWholePartitionsSkipFilterMatchesTruth(t *testing.T) {
	s := openFourMonths(t, t.TempDir())
	r := rand.New(rand.NewSource(20))
	base := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC) // a Monday
	span := 10 * 7 * 24 * time.Hour
	words := []string{"battery", "screen", "price", "launch"}
	brands := []string{"Acme", "Globex"}
	var ms []Mention
	for i := range 500 {
		text := words[r.Intn(len(words))] + " " + words[r.Intn(len(words))] + " news"
		m := mk(fmt.Sprintf("p%03d", i), "", text, 0, brands[r.Intn(len(brands))])
		switch i % 7 {
		case 0: // on a week boundary
			m.Published = base.AddDate(0, 0, 7*r.Intn(10))
		case 1: // at midnight
			m.Published = base.AddDate(0, 0, r.Intn(70))
		default:
			m.Published = base.Add(time.Duration(r.Int63n(int64(span))))
		}
		m.Fetched = m.Published.Add(time.Minute)
		m.EngagementTotal = int64(r.Intn(1000))
		ms = append(ms, m)
	}
	commitT(t, s, ms...)
	syncT(t, s)
	if n := len(s.idx.weeks()); n != 10 {
		t.Fatalf("%d partitions, want 10", n)
	}
	pick := func() time.Time {
		switch r.Intn(5) {
		case 0:
			return time.Time{}
		case 1: // a Monday
			return base.AddDate(0, 0, 7*(r.Intn(12)-1))
		case 2: // a midnight
			return base.AddDate(0, 0, r.Intn(84)-7)
		default:
			return base.Add(time.Duration(r.Int63n(int64(span+14*24*time.Hour))) - 7*24*time.Hour)
		}
	}
	skipped := int64(0)
	for i := range 150 {
		from, to := pick(), pick()
		if !from.IsZero() && !to.IsZero() && !from.Before(to) {
			continue
		}
		// The truth: the database's mentions of [from, to), newest first.
		var truth []Mention
		lo, hi := from, to
		if hi.IsZero() {
			hi = base.Add(2 * span)
		}
		if err := s.Range(context.Background(), lo, hi, func(m Mention) error {
			truth = append(truth, m)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(truth, func(a, b Mention) int {
			if c := b.Published.Compare(a.Published); c != 0 {
				return c
			}
			return strings.Compare(b.ID, a.ID)
		})
		req := SearchRequest{Query: term(words[i%len(words)]), From: from, To: to, Size: 100, Facets: []string{FacetBrand, FacetDay}}
		if i%3 == 0 {
			req.Brands = []string{"Acme"}
		}
		var want []string
		for _, m := range truth {
			if strings.Contains(m.Text, words[i%len(words)]) && (req.Brands == nil || m.Brands[0] == "Acme") {
				want = append(want, m.NativeID)
			}
		}
		for _, sort := range []string{SortNewest, SortRelevance, SortEngagement} {
			req.Sort = sort
			s.idx.alwaysFilter = true
			filtered := find(t, s, req)
			s.idx.alwaysFilter = false
			before := s.idx.searched.Load() - s.idx.filtered.Load()
			skip := find(t, s, req)
			skipped += s.idx.searched.Load() - s.idx.filtered.Load() - before
			name := fmt.Sprintf("case %d %s [%s, %s)", i, sort, from, to)
			if skip.Total != uint64(len(want)) || filtered.Total != uint64(len(want)) {
				t.Fatalf("%s: total %d (filtered everywhere %d), want %d", name, skip.Total, filtered.Total, len(want))
			}
			if !reflect.DeepEqual(hitKeys(skip, sort), hitKeys(filtered, sort)) || !reflect.DeepEqual(skip.Facets, filtered.Facets) {
				t.Fatalf("%s: skipping the filter changed the result:\n%v\n%v", name, hitKeys(skip, sort), hitKeys(filtered, sort))
			}
			if sort == SortNewest && !reflect.DeepEqual(ids(skip), want[:min(len(want), 100)]) && len(want) > 0 {
				t.Fatalf("%s: hits %v, want %v", name, ids(skip), want)
			}
		}
	}
	if skipped == 0 {
		t.Error("no partition was searched without the filter: the test checks nothing")
	}
}

// hitKeys is each hit's id and score, in order. In relevance order, hits
// of the lowest score on a full page are shown by score alone: which of
// several equal scores make the page's cut depends on the order in which
// the partitions answer, with or without the filter.
func hitKeys(res *SearchResult, sort string) []string {
	out := make([]string, 0, len(res.Hits))
	low := 0.0
	if n := len(res.Hits); n > 0 && uint64(n) < res.Total && sort == SortRelevance {
		low = res.Hits[n-1].Score
	}
	for _, h := range res.Hits {
		if h.Score == low && low > 0 {
			out = append(out, fmt.Sprintf("(tie) %g", h.Score))
			continue
		}
		out = append(out, fmt.Sprintf("%s %g", h.Mention.NativeID, h.Score))
	}
	return out
}

// A prune records its cut-off before it deletes the mentions: until they
// are gone from the database (or when the prune is interrupted there), the
// partitions of their weeks stay, at once and at the next start; the prune
// that deletes them drops the partitions.
func TestPartitionKeptUntilItsMentionsArePruned(t *testing.T) {
	dir := t.TempDir()
	s := openFourMonths(t, dir)
	commitT(t, s, fourMonths()...)
	syncT(t, s)
	cut := day(3, 15, 0) // a1 … c1 (weeks 2–9) are before it
	if _, err := s.raiseFloor(cut); err != nil {
		t.Fatal(err)
	}
	if _, err := s.drainUnindex(); err != nil { // what Prune does before deleting
		t.Fatal(err)
	}
	all := "2026-W02.bleve 2026-W04.bleve 2026-W06.bleve 2026-W07.bleve 2026-W09.bleve 2026-W11.bleve 2026-W14.bleve 2026-W15.bleve"
	check := func(when string, s *Store) {
		t.Helper()
		if got := partitionsOnDisk(t, dir); got != all {
			t.Errorf("%s: partitions = %s, want %s", when, got, all)
		}
		if res := find(t, s, SearchRequest{}); res.Total != 10 {
			t.Errorf("%s: %d of the 10 stored mentions found", when, res.Total)
		}
	}
	check("cut-off recorded", s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, logs := reopenLogged(t, dir) // as after a prune killed at that point
	if strings.Contains(logs.String(), "rebuilding") {
		t.Errorf("reopen rebuilt: %s", logs)
	}
	syncT(t, s)
	check("reopened", s)
	if res, err := s.Prune(context.Background(), cut); err != nil || res.Mentions != 6 {
		t.Fatalf("prune: %+v, %v", res, err)
	}
	if got := partitionsOnDisk(t, dir); got != "2026-W11.bleve 2026-W14.bleve 2026-W15.bleve" {
		t.Errorf("partitions after the prune = %s", got)
	}
}

// docs/operations.md states the partitions' names and the example of an
// ISO week-year: both must be what the code does.
func TestPartitionLayoutDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(doc)), " ")
	if !strings.Contains(text, "`data_dir/index/YYYY-Www.bleve` is one bleve index per ISO 8601 week (Monday 00:00 UTC") {
		t.Error("docs/operations.md does not state the partition layout (data_dir/index/YYYY-Www.bleve, ISO weeks from Monday 00:00 UTC)")
	}
	m := regexp.MustCompile("`(\\d{4}-W\\d\\d)` starts on Monday (\\d{4}-\\d\\d-\\d\\d)").FindStringSubmatch(text)
	if m == nil {
		t.Fatal("docs/operations.md gives no example week (`YYYY-Www` starts on Monday YYYY-MM-DD)")
	}
	monday, err := time.Parse(time.DateOnly, m[2])
	if err != nil {
		t.Fatal(err)
	}
	if w := weekOf(monday); w.String() != m[1] || !w.start().Equal(monday) {
		t.Errorf("docs: %s starts on %s; the code: %s starts on %s", m[1], m[2], w, w.start().Format(time.DateOnly))
	}
	if got := filepath.Base(partDir("", monday)); got != m[1]+".bleve" {
		t.Errorf("partition directory %s, docs say %s.bleve", got, m[1])
	}
}
