package store

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// partDir is the partition directory of the week of t under data dir dir.
func partDir(dir string, t time.Time) string {
	return filepath.Join(dir, indexDir, weekOf(t).String()+partSuffix)
}

func day(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, time.UTC) }

// fourMonths is ten mentions over January–April 2026, committed in this
// order (seq 1–10). Hand-checked: "battery" is in a1 a2 b1 b3 c1 d1 d2.
// 2026-01-01 is a Thursday, so ISO week 1 is Mon 2025-12-29 to Sun
// 2026-01-04; the mentions fall in weeks 2 (a1), 4 (a2), 6 (b1), 7 (b2),
// 9 (b3 Sat Feb 28, c1 Sun Mar 1), 11 (c2), 14 (d1) and 15 (d2 d3).
func fourMonths() []Mention {
	row := func(id string, at time.Time, text, brand, network string, eng int64) Mention {
		m := mk(id, "", text, 0, brand)
		m.Published, m.Fetched, m.EngagementTotal = at, at.Add(time.Hour), eng
		if network == "rss" {
			m.Network, m.ID = "rss", "rss:"+id
		}
		return m
	}
	return []Mention{
		row("a1", day(1, 10, 12), "battery drains fast", "Acme", "hackernews", 5),
		row("a2", day(1, 20, 12), "great battery life", "Globex", "hackernews", 1),
		row("b1", day(2, 5, 12), "battery recall announced", "Acme", "rss", 7),
		row("b2", day(2, 14, 12), "new phone launch", "Acme", "rss", 2),
		row("b3", day(2, 28, 23), "battery charger broken", "Globex", "hackernews", 9),
		row("c1", day(3, 1, 0), "battery is fine", "Acme", "hackernews", 3),
		row("c2", day(3, 15, 12), "camera review", "Globex", "rss", 4),
		row("d1", day(4, 2, 12), "battery update shipped", "Acme", "hackernews", 8),
		row("d2", day(4, 9, 12), "battery warranty", "Umbrella", "rss", 6),
		row("d3", day(4, 10, 12), "price cut", "Acme", "hackernews", 0),
	}
}

func openFourMonths(t *testing.T, dir string) *Store {
	t.Helper()
	opts := testOpts()
	opts.Clock = func() time.Time { return day(5, 1, 0) }
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func partitionsOnDisk(t *testing.T, dir string) string {
	t.Helper()
	es, err := os.ReadDir(filepath.Join(dir, indexDir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

func facet(res *SearchResult, f string) string {
	var out []string
	for _, c := range res.Facets[f] {
		out = append(out, c.Term+"="+string(rune('0'+c.Count)))
	}
	return strings.Join(out, " ")
}

// The same mentions over eight weekly partitions give the hits, order,
// totals and facets a single index gives, checked by hand.
func TestPartitionedSearchMatchesHandChecked(t *testing.T) {
	dir := t.TempDir()
	s := openFourMonths(t, dir)
	commitT(t, s, fourMonths()...)
	syncT(t, s)
	if got, want := partitionsOnDisk(t, dir), "2026-W02.bleve 2026-W04.bleve 2026-W06.bleve 2026-W07.bleve 2026-W09.bleve 2026-W11.bleve 2026-W14.bleve 2026-W15.bleve"; got != want {
		t.Fatalf("partitions = %s, want %s", got, want)
	}
	newest := []string{"d2", "d1", "c1", "b3", "b1", "a2", "a1"}
	for page := 1; page <= 3; page++ {
		res := find(t, s, SearchRequest{Query: term("battery"), Sort: SortNewest, Size: 3, Page: page})
		want := newest[(page-1)*3 : min(page*3, len(newest))]
		if got := ids(res); !reflect.DeepEqual(got, want) || res.Total != 7 {
			t.Errorf("newest page %d = %v (total %d), want %v (total 7)", page, got, res.Total, want)
		}
		if got := facet(res, FacetBrand); got != "Acme=4 Globex=2 Umbrella=1" {
			t.Errorf("brand facet = %s", got)
		}
		if got := facet(res, FacetNetwork); got != "hackernews=5 rss=2" {
			t.Errorf("network facet = %s", got)
		}
	}
	res := find(t, s, SearchRequest{Query: term("battery"), Sort: SortNewest, Size: 1, From: day(4, 1, 0)})
	if len(res.Hits) != 1 || res.Hits[0].Snippet != "<mark>battery</mark> warranty" {
		t.Errorf("snippet = %+v", res.Hits)
	}
	res = find(t, s, SearchRequest{Query: term("battery"), Sort: SortEngagement, Size: 10})
	if got, want := ids(res), []string{"b3", "d1", "b1", "d2", "a1", "c1", "a2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("engagement = %v, want %v", got, want)
	}
	res = find(t, s, SearchRequest{Query: term("battery"), Size: 10}) // relevance
	if got := sortedIDs(res); got != "a1,a2,b1,b3,c1,d1,d2" || res.Total != 7 {
		t.Errorf("relevance = %s (total %d)", got, res.Total)
	}
	res = find(t, s, SearchRequest{Query: term("battery"), Facets: []string{FacetDay}, Size: 1})
	if got := facet(res, FacetDay); got != "2026-01-10=1 2026-01-20=1 2026-02-05=1 2026-02-28=1 2026-03-01=1 2026-04-02=1 2026-04-09=1" {
		t.Errorf("day facet = %s", got)
	}
	res = find(t, s, SearchRequest{Query: phrase("battery life")})
	if got := sortedIDs(res); got != "a2" || res.Total != 1 {
		t.Errorf("phrase = %s (total %d)", got, res.Total)
	}
	// A window across a month boundary (one week): Feb 28 and Mar 1.
	res = find(t, s, SearchRequest{Query: term("battery"), Sort: SortNewest, From: day(2, 28, 0), To: day(3, 2, 0)})
	if got, want := ids(res), []string{"c1", "b3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("window = %v, want %v", got, want)
	}
	var each []string
	n, err := s.SearchEach(context.Background(), SearchRequest{Sort: SortNewest}, 0, func(m Mention) error {
		each = append(each, m.NativeID)
		return nil
	})
	if want := []string{"d3", "d2", "d1", "c2", "c1", "b3", "b2", "b1", "a2", "a1"}; err != nil || n != 10 || !reflect.DeepEqual(each, want) {
		t.Errorf("search each = %v (%d, %v), want %v", each, n, err, want)
	}
}

// A window touches only the partitions of its weeks (a 7-day window at
// most 2, whatever the number of weeks stored), and only those the window
// cuts get the time filter: one wholly inside is searched without it.
func TestWindowSearchesOnlyItsPartitions(t *testing.T) {
	s := openFourMonths(t, t.TempDir())
	commitT(t, s, fourMonths()...)
	syncT(t, s)
	for _, c := range []struct {
		name            string
		from, to        time.Time
		parts, filtered int64
		hits            uint64
	}{
		{"7 days over W14/W15", day(4, 3, 0), day(4, 10, 0), 2, 2, 1}, // d2 (d1 is Apr 2, d3 Apr 10 12:00)
		{"7 days over Feb/Mar", day(2, 25, 0), day(3, 4, 0), 1, 1, 2}, // W09 (W10 has none): b3 c1
		{"exactly W11", day(3, 9, 0), day(3, 16, 0), 1, 0, 1},         // c2
		{"W11 to W13, ends at a week's start", day(3, 9, 0), day(3, 30, 0), 1, 0, 1},
		{"W15 cut by its end", day(4, 6, 0), day(4, 10, 0), 1, 1, 1},     // d2
		{"W15 cut by its start", day(4, 6, 1), day(4, 13, 0), 1, 1, 2},   // d2 d3
		{"W06–W11 inside, W14 cut", day(2, 1, 0), day(4, 1, 0), 5, 1, 5}, // b1 b2 b3 c1 c2
		{"any time", time.Time{}, time.Time{}, 8, 0, 10},
		{"open end", day(3, 20, 0), time.Time{}, 2, 0, 3},   // W14 W15: d1 d2 d3
		{"open start", time.Time{}, day(1, 21, 0), 2, 1, 2}, // W02 inside, W04 cut: a1 a2
		{"no partition", day(6, 1, 0), day(6, 8, 0), 0, 0, 0},
	} {
		before, fbefore := s.idx.searched.Load(), s.idx.filtered.Load()
		res := find(t, s, SearchRequest{From: c.from, To: c.to})
		if got := s.idx.searched.Load() - before; got != c.parts {
			t.Errorf("%s: %d partitions searched, want %d", c.name, got, c.parts)
		}
		if got := s.idx.filtered.Load() - fbefore; got != c.filtered {
			t.Errorf("%s: %d partitions searched with the time filter, want %d", c.name, got, c.filtered)
		}
		if res.Total != c.hits {
			t.Errorf("%s: %d hits, want %d", c.name, res.Total, c.hits)
		}
	}
}

// Retention drops the partitions of weeks wholly before the cut-off and
// deletes documents from the cut-off's week only.
func TestPruneDropsWholePartitions(t *testing.T) {
	dir := t.TempDir()
	s := openFourMonths(t, dir)
	commitT(t, s, fourMonths()...)
	syncT(t, s)
	res, err := s.Prune(context.Background(), day(3, 15, 0))
	if err != nil {
		t.Fatal(err)
	}
	if res.Mentions != 6 {
		t.Errorf("pruned %d, want 6 (a1 a2 b1 b2 b3 c1)", res.Mentions)
	}
	if got := partitionsOnDisk(t, dir); got != "2026-W11.bleve 2026-W14.bleve 2026-W15.bleve" {
		t.Errorf("partitions after prune = %s", got)
	}
	check := func() {
		t.Helper()
		if got := ids(find(t, s, SearchRequest{Sort: SortNewest})); !reflect.DeepEqual(got, []string{"d3", "d2", "d1", "c2"}) {
			t.Errorf("after prune = %v, want d3 d2 d1 c2", got)
		}
		if n, err := s.idx.DocCount(); err != nil || n != 4 {
			t.Errorf("documents = %d (%v), want 4", n, err)
		}
	}
	check()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, logs := reopenLogged(t, dir)
	if strings.Contains(logs.String(), "rebuilding") {
		t.Errorf("reopen after prune rebuilt: %s", logs)
	}
	check()
	err = s.db.View(func(tx *bolt.Tx) error {
		for _, w := range []string{"2026-W02", "2026-W04", "2026-W06", "2026-W07", "2026-W09"} {
			if v := tx.Bucket(bucketMeta).Get([]byte(partKeyPrefix + w)); v != nil {
				t.Errorf("record of dropped week %s kept", w)
			}
		}
		if v := tx.Bucket(bucketMeta).Get([]byte(partKeyPrefix + "2026-W11")); v == nil {
			t.Error("record of the cut-off's week 2026-W11 dropped")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// One unreadable partition is rebuilt alone: the watermark goes back to
// just before its week's first mention (c2 is seq 7), not to 0.
func TestOnePartitionRebuilt(t *testing.T) {
	dir := t.TempDir()
	s := openFourMonths(t, dir)
	commitT(t, s, fourMonths()...)
	syncT(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	march := partDir(dir, day(3, 15, 0))
	if err := os.RemoveAll(march); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(march, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(march, "index_meta.json"), []byte("\x00garbage{"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, logs := reopenLogged(t, dir)
	if !strings.Contains(logs.String(), "2026-W11.bleve") || strings.Count(logs.String(), "rebuilding") != 1 {
		t.Errorf("want one partition rebuilt: %s", logs)
	}
	if wm := s.watermark.Load(); wm != 6 {
		t.Errorf("watermark = %d, want 6", wm)
	}
	syncT(t, s)
	if res := find(t, s, SearchRequest{}); res.Total != 10 {
		t.Errorf("after the rebuild %d of 10", res.Total)
	}
}

// The single index.bleve of earshot-index-8 is removed at open and the
// weekly partitions are built from the database.
func TestLegacyIndexMigrated(t *testing.T) {
	dir := t.TempDir()
	s := openFourMonths(t, dir)
	commitT(t, s, fourMonths()...)
	syncT(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, indexDir)); err != nil {
		t.Fatal(err)
	}
	old, err := createIndex(filepath.Join(dir, legacyIndexDir))
	if err != nil {
		t.Fatal(err)
	}
	if err := old.SetInternal(internalVersionKey, []byte("earshot-index-8")); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	s, logs := reopenLogged(t, dir)
	if !strings.Contains(logs.String(), "another version") {
		t.Errorf("no migration logged: %s", logs)
	}
	if _, err := os.Stat(filepath.Join(dir, legacyIndexDir)); !os.IsNotExist(err) {
		t.Errorf("old index.bleve left: %v", err)
	}
	syncT(t, s)
	if res := find(t, s, SearchRequest{Query: term("battery")}); res.Total != 7 {
		t.Errorf("battery after migration: %d, want 7", res.Total)
	}
	if got := partitionsOnDisk(t, dir); got != "2026-W02.bleve 2026-W04.bleve 2026-W06.bleve 2026-W07.bleve 2026-W09.bleve 2026-W11.bleve 2026-W14.bleve 2026-W15.bleve" {
		t.Errorf("partitions = %s", got)
	}
}

// Reindex rebuilds every partition (in parallel) and swaps them in; a
// partition of a week without mentions goes.
func TestReindexPartitions(t *testing.T) {
	dir := t.TempDir()
	s := openFourMonths(t, dir)
	commitT(t, s, fourMonths()...)
	syncT(t, s)
	stray, err := s.idx.get(weekOf(day(8, 1, 0)))
	if err != nil || stray == nil {
		t.Fatal(err)
	}
	if err := s.Reindex(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := partitionsOnDisk(t, dir); got != "2026-W02.bleve 2026-W04.bleve 2026-W06.bleve 2026-W07.bleve 2026-W09.bleve 2026-W11.bleve 2026-W14.bleve 2026-W15.bleve" {
		t.Errorf("partitions after reindex = %s", got)
	}
	syncT(t, s)
	res := find(t, s, SearchRequest{Query: term("battery"), Sort: SortNewest, Size: 10})
	if got, want := ids(res), []string{"d2", "d1", "c1", "b3", "b1", "a2", "a1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after reindex = %v", got)
	}
	if n, err := s.idx.DocCount(); err != nil || n != 10 {
		t.Errorf("documents = %d (%v), want 10", n, err)
	}
}

// Week names are ISO 8601 week-year and week (the year of the week's
// Thursday), hand-checked against a calendar.
func TestWeekNames(t *testing.T) {
	for _, c := range []struct {
		t    time.Time
		name string
	}{
		{time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC), "2026-W49"},                 // Monday
		{time.Date(2026, 11, 30, 0, 30, 0, 0, time.FixedZone("+1", 3600)), "2026-W48"}, // Sunday in UTC
		{time.Date(2025, 12, 28, 23, 59, 59, 0, time.UTC), "2025-W52"},                 // Sunday
		{time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC), "2026-W01"},                    // Monday of 2026's week 1
		{time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC), "2026-W53"},                     // 2026 starts on a Thursday: 53 weeks
		{time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), "2027-W01"},
		{time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), "1970-W01"},   // a Thursday: its week began Mon 1969-12-29
		{time.Date(1969, 12, 29, 0, 0, 0, 0, time.UTC), "1970-W01"}, // before the epoch (floor division)
		{time.Date(1969, 12, 28, 23, 0, 0, 0, time.UTC), "1969-W52"},
	} {
		w := weekOf(c.t)
		if w.String() != c.name {
			t.Errorf("%s → %s, want %s", c.t, w, c.name)
		}
		if back, ok := parseWeek(c.name + partSuffix); !ok || back != w {
			t.Errorf("parse %s = %v %v", c.name, back, ok)
		}
		if w.start().After(c.t) || !(w + 1).start().After(c.t) || w.start().Weekday() != time.Monday || (w+1).start().Sub(w.start()) != 7*24*time.Hour {
			t.Errorf("%s not in [%s, %s)", c.t, w.start(), (w + 1).start())
		}
	}
	for _, bad := range []string{"index.bleve", "2026-W00.bleve", "2026-W54.bleve", "2025-W53.bleve", "2026-W1.bleve", "2026-01.bleve", "2026-W01.new", "2026+W01.bleve"} {
		if _, ok := parseWeek(bad); ok {
			t.Errorf("%s parsed", bad)
		}
	}
	for name, want := range map[string]bool{"2026-01.bleve": true, "2026-11.bleve.new": true, "2026-13.bleve": false, "2026-W01.bleve": false} {
		if got := isMonthPartition(name); got != want {
			t.Errorf("isMonthPartition(%s) = %v", name, got)
		}
	}
}

// A mention committed and indexed while Reindex builds is in the old
// partition only: the watermark goes back to where the build started, so
// the new partition gets it by replay.
func TestReindexKeepsMentionsCommittedMeanwhile(t *testing.T) {
	s := openFourMonths(t, t.TempDir())
	commitT(t, s, fourMonths()...)
	syncT(t, s)
	late := fourMonths()[9]
	late.ID, late.NativeID, late.Text = "hackernews:late", "late", "battery meanwhile"
	reindexBuiltHook = func(s *Store) {
		commitT(t, s, late)
		syncT(t, s)
	}
	defer func() { reindexBuiltHook = nil }()
	if err := s.Reindex(context.Background()); err != nil {
		t.Fatal(err)
	}
	syncT(t, s)
	if got := sortedIDs(find(t, s, SearchRequest{Query: term("meanwhile")})); got != "late" {
		t.Errorf("mention committed during reindex: found %q", got)
	}
}

// A file where the index directory should be is replaced and every week
// rebuilt.
func TestIndexDirReplacedByFileRebuilt(t *testing.T) {
	dir := t.TempDir()
	s := openFourMonths(t, dir)
	commitT(t, s, fourMonths()...)
	syncT(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, indexDir)
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(root, []byte("not an index"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, logs := reopenLogged(t, dir)
	if !strings.Contains(logs.String(), "search index unreadable") {
		t.Errorf("not logged: %s", logs)
	}
	syncT(t, s)
	if res := find(t, s, SearchRequest{}); res.Total != 10 {
		t.Errorf("after the rebuild %d of 10", res.Total)
	}
}
