package store

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// retentionCorpus is n mentions, one every 37 minutes from t0, with exact
// sentiment values, links, owned replies to earlier mentions (pairs that a
// cut-off separates) and replies to posts stored later (never paired).
func retentionCorpus(n int) []Mention {
	r := rand.New(rand.NewSource(7))
	labels := []string{"positive", "neutral", "negative", ""}
	out := make([]Mention, 0, n)
	for i := 0; i < n; i++ {
		m := genMention(r, i)
		m.Published = t0.Add(time.Duration(i) * 37 * time.Minute)
		m.Fetched = m.Published.Add(time.Minute)
		m.Kind = KindMention
		m.SentimentLabel = labels[i%4]
		m.Sentiment = float64(i%5-2) * 0.25
		m.AuthorFollowers = int64(i % 13 * 10)
		if i%3 == 0 {
			m.Links = []string{fmt.Sprintf("https://site%d.example/a", i%4), "https://acme.example/x"}
		}
		if i%5 == 0 {
			m.Brands = append(m.Brands, "Globex")
		}
		switch {
		case i%7 == 3 && i >= 20:
			m.Kind, m.ReplyTo = KindOwned, out[i-(1+i%17)].ID // earlier parent: paired
		case i%11 == 5:
			m.Kind, m.ReplyTo = KindOwned, fmt.Sprintf("gen:%d", i+2) // later parent: not paired
		}
		out = append(out, m)
	}
	return out
}

func commitChunks(t testing.TB, s *Store, ms []Mention, chunk int) {
	t.Helper()
	for i := 0; i < len(ms); i += chunk {
		commitT(t, s, ms[i:min(i+chunk, len(ms))]...)
	}
}

// dumpAll renders every rollup record of the store (all time) as sorted
// strings; empty term lists are left out (a rebuild writes them for
// mentions without words, Prune deletes lists it empties).
func dumpAll(t testing.TB, s *Store) []string {
	t.Helper()
	var out []string
	ctx := context.Background()
	from, to := t0.Add(-24*365*time.Hour), t0.Add(24*365*time.Hour)
	check := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	check(s.Cells(ctx, from, to, func(c *Cell) error { out = append(out, "cell "+fmtAny(*c)); return nil }))
	check(s.Facts(ctx, from, to, func(f *Fact) error { out = append(out, "fact "+fmtAny(*f)); return nil }))
	check(s.TermHours(ctx, from, to, func(d TermHour) error {
		if len(d.Terms) > 0 {
			out = append(out, "terms "+fmtAny(d))
		}
		return nil
	}))
	check(s.LinkCells(ctx, from, to, func(l LinkCell) error { out = append(out, "links "+fmtAny(l)); return nil }))
	sort.Strings(out)
	return out
}

// recount derives the Stats counters from the mentions themselves.
func recount(t testing.TB, s *Store) (total uint64, brands, networks map[string]uint64) {
	t.Helper()
	brands, networks = map[string]uint64{}, map[string]uint64{}
	err := s.Range(context.Background(), minPublished, maxPublished, func(m Mention) error {
		total++
		for _, b := range uniqueBrands(m.Brands) {
			brands[b]++
		}
		networks[m.Network]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return total, brands, networks
}

// bucketKeys counts the records of the buckets keyed per mention.
func bucketKeys(t testing.TB, s *Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMentions, bucketByID, bucketByTime, bucketFacts, bucketUnindex} {
			out[string(b)] = tx.Bucket(b).Stats().KeyN
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func docCount(t testing.TB, s *Store) uint64 {
	t.Helper()
	s.idxMu.RLock()
	defer s.idxMu.RUnlock()
	n, err := s.idx.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// checkConsistent verifies that bbolt's per-mention buckets, the counters,
// the rollups (against a rebuild of a copy) and the index agree.
func checkConsistent(t testing.TB, s *Store, want int) {
	t.Helper()
	keys := bucketKeys(t, s)
	for _, b := range []string{"mentions", "byid", "bytime", "rollup_facts"} {
		if keys[b] != want {
			t.Fatalf("%s holds %d records, want %d (all: %v)", b, keys[b], want, keys)
		}
	}
	total, brands, networks := recount(t, s)
	st := s.Stats()
	if total != uint64(want) || st.Mentions != total || !reflect.DeepEqual(st.Brands, brands) || !reflect.DeepEqual(st.Networks, networks) {
		t.Fatalf("stats %d %v %v; mentions say %d %v %v", st.Mentions, st.Brands, st.Networks, total, brands, networks)
	}
	got := dumpAll(t, s)
	var snap bytes.Buffer
	if _, err := s.Backup(context.Background(), &snap); err != nil {
		t.Fatal(err)
	}
	cp := restoreCopy(t, snap.Bytes())
	if err := cp.RebuildRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rebuilt := dumpAll(t, cp); !reflect.DeepEqual(got, rebuilt) {
		t.Fatalf("rollups differ from a rebuild from the remaining mentions:\n%s", diffLines(got, rebuilt))
	}
	syncT(t, s)
	if n := docCount(t, s); n != uint64(want) {
		t.Fatalf("index holds %d documents, bbolt %d", n, want)
	}
}

// restoreCopy installs a snapshot in a new data dir and opens it.
func restoreCopy(t testing.TB, snap []byte) *Store {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(t.TempDir(), "snap.db")
	writeFileT(t, path, snap)
	if _, err := Restore(dir, path, testOpts()); err != nil {
		t.Fatal(err)
	}
	return openT(t, dir)
}

func diffLines(a, b []string) string {
	in := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	ma, mb := in(a), in(b)
	var out []string
	for _, x := range a {
		if !mb[x] {
			out = append(out, "- "+x)
		}
	}
	for _, x := range b {
		if !ma[x] {
			out = append(out, "+ "+x)
		}
	}
	if len(out) > 20 {
		out = append(out[:20], fmt.Sprintf("... %d more", len(out)-20))
	}
	return strings.Join(out, "\n")
}

func TestPruneMatchesRebuildAndIndex(t *testing.T) {
	s := openT(t, t.TempDir())
	ms := retentionCorpus(700)
	commitChunks(t, s, ms, 50)
	syncT(t, s)
	all := dumpAll(t, s)
	cut := t0.Add(7*24*time.Hour + 13*time.Minute) // mid-hour: cells split
	var old []Mention
	for _, m := range ms {
		if m.Published.Before(cut) {
			old = append(old, m)
		}
	}
	res, err := s.Prune(context.Background(), cut)
	if err != nil {
		t.Fatal(err)
	}
	if res.Mentions != len(old) || res.Unindexed != len(old) || res.Batches != 1 {
		t.Fatalf("prune = %+v, want %d mentions in 1 batch", res, len(old))
	}
	if res.Replies == 0 {
		t.Fatal("no kept reply lost its pruned parent: the fixture does not cover it")
	}
	if reflect.DeepEqual(all, dumpAll(t, s)) {
		t.Fatal("rollups unchanged by prune")
	}
	checkConsistent(t, s, len(ms)-len(old))
	for _, m := range old[:20] {
		if _, ok, err := s.Get(m.ID); ok || err != nil {
			t.Fatalf("%s still stored (err %v)", m.ID, err)
		}
	}
	// A network re-serving a pruned post does not bring it back.
	if r := commitT(t, s, old[0], old[len(old)-1]); r.Added != 0 || r.Duplicates != 2 {
		t.Fatalf("re-served pruned posts: %+v, want 2 duplicates", r)
	}
	fresh := mk("fresh", "", "acme news", 24*30, "Acme")
	if r := commitT(t, s, fresh); r.Added != 1 {
		t.Fatalf("new mention after prune: %+v", r)
	}
	// Idempotent: nothing left before the cut-off.
	if res, err := s.Prune(context.Background(), cut); err != nil || res.Mentions != 0 {
		t.Fatalf("second prune = %+v, %v", res, err)
	}
}

func TestPruneEverythingLeavesEmptyRollups(t *testing.T) {
	s := openT(t, t.TempDir())
	commitT(t, s, rollupFixture()...)
	if _, err := s.Prune(context.Background(), t0.Add(30*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := dumpAll(t, s); len(got) != 0 {
		t.Fatalf("rollups left after pruning everything: %v", got)
	}
	checkConsistent(t, s, 0)
	if st := s.Stats(); st.Mentions != 0 || len(st.Brands) != 0 {
		t.Fatalf("stats after pruning everything: %+v", st)
	}
}

func TestPruneInSmallBatches(t *testing.T) {
	defer func(n int) { pruneBatch = n }(pruneBatch)
	pruneBatch = 7
	s := openT(t, t.TempDir())
	ms := retentionCorpus(300)
	commitChunks(t, s, ms, 40)
	res, err := s.Prune(context.Background(), t0.Add(100*37*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if res.Mentions != 100 || res.Batches != 15 {
		t.Fatalf("prune = %+v, want 100 mentions in 15 batches", res)
	}
	checkConsistent(t, s, 200)
}

func TestPruneTombstonesForUndatedPosts(t *testing.T) {
	now := t0.Add(400 * 24 * time.Hour)
	opts := testOpts()
	opts.Clock = func() time.Time { return now }
	s, err := Open(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	undated := mk("u1", "", "acme page", 0, "Acme")
	undated.PublishedEstimated = true
	commitT(t, s, undated, mk("d1", "", "acme dated", 0, "Acme"))
	res, err := s.Prune(context.Background(), t0.Add(24*time.Hour))
	if err != nil || res.Mentions != 2 || res.Tombstones != 1 {
		t.Fatalf("prune = %+v, %v; want 2 mentions, 1 tombstone", res, err)
	}
	// The feed still carries the undated post: seen again, it gets a new
	// estimated date, after the cut-off; the tombstone keeps it out.
	again := undated
	again.Published = now
	if r := commitT(t, s, again); r.Added != 0 || r.Duplicates != 1 {
		t.Fatalf("re-served undated post: %+v", r)
	}
	// One retention period later the tombstone expires.
	now = now.Add(48 * time.Hour)
	res, err = s.Prune(context.Background(), now.Add(-time.Hour))
	if err != nil || res.TombstonesExpired != 1 {
		t.Fatalf("second prune = %+v, %v; want the tombstone expired", res, err)
	}
	again.Published = now
	if r := commitT(t, s, again); r.Added != 1 {
		t.Fatalf("after the tombstone expired: %+v", r)
	}
}

func TestPruneRejectsBadCutoffs(t *testing.T) {
	s := openT(t, t.TempDir())
	if _, err := s.Prune(context.Background(), time.Now().Add(time.Hour)); err == nil || !strings.Contains(err.Error(), "future") {
		t.Errorf("future cut-off: %v", err)
	}
	if _, err := s.Prune(context.Background(), time.Time{}); err == nil {
		t.Error("zero cut-off accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	commitT(t, s, mk("a", "", "x", 0, "Acme"))
	if _, err := s.Prune(ctx, t0.Add(time.Hour)); err == nil {
		t.Error("cancelled prune returned nil")
	}
	_ = s.Close()
	if _, err := s.Prune(context.Background(), t0); err != errClosed {
		t.Errorf("prune on closed store: %v", err)
	}
}

// A pending index deletion left by a crash is applied on Open, unless the ID
// was stored again and indexed since (then the document is the new one).
func TestUnindexReplayedOnOpen(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	a, b := mk("a", "", "alpha acme", 0, "Acme"), mk("b", "", "beta acme", 0, "Acme")
	commitT(t, s, a, b)
	syncT(t, s)
	// Simulate a crash after the bbolt side of a prune of a: mention gone,
	// deletion pending, document still in bleve. b is pending too but stored.
	err := s.db.Update(func(tx *bolt.Tx) error {
		p := newPruner(tx, time.Now(), s.log)
		if err := p.remove(timeKey(a.Published, 1)); err != nil {
			return err
		}
		if err := p.flush(); err != nil {
			return err
		}
		return tx.Bucket(bucketUnindex).Put([]byte(b.ID), seqKey(99))
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := docCount(t, s); n != 2 {
		t.Fatalf("docs before reopen = %d", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openT(t, dir)
	if n := docCount(t, s2); n != 1 {
		t.Fatalf("docs after reopen = %d, want 1 (a deleted, b kept)", n)
	}
	if k := bucketKeys(t, s2); k["unindex"] != 0 {
		t.Fatalf("pending deletions left: %v", k)
	}
	checkConsistent(t, s2, 1)
}
