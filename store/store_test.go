package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

func TestCommitDedupAcrossAndWithinBatch(t *testing.T) {
	s := openT(t, t.TempDir())
	a, b, c := mk("1", "", "acme one", 1, "Acme"), mk("2", "", "acme two", 2, "Acme"), mk("3", "", "globex", 3, "Globex")
	r := commitT(t, s, a, b, a) // a twice in one batch
	if r.Added != 2 || r.Duplicates != 1 {
		t.Fatalf("first commit = %+v, want 2 added 1 duplicate", r)
	}
	r = commitT(t, s, b, c)
	if r.Added != 1 || r.Duplicates != 1 {
		t.Fatalf("second commit = %+v, want 1 added 1 duplicate", r)
	}
	st := s.Stats()
	if st.Mentions != 3 || st.LastSeq != 3 || st.Brands["Acme"] != 2 || st.Brands["Globex"] != 1 || st.Networks["hackernews"] != 3 {
		t.Fatalf("stats = %+v", st)
	}
	syncT(t, s)
	if res := find(t, s, SearchRequest{}); res.Total != 3 {
		t.Fatalf("index holds %d docs, want 3", res.Total)
	}
	st = s.Stats()
	if st.IndexedSeq != 3 || st.IndexLag != 0 || st.DBBytes == 0 || st.IndexBytes == 0 {
		t.Fatalf("stats after sync = %+v", st)
	}
}

func TestCursorRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	if c, err := s.Cursor("hn"); err != nil || c != nil {
		t.Fatalf("cursor before commit = %q, %v", c, err)
	}
	if _, err := s.Commit("hn", nil, []byte("page-1")); err != nil { // empty batch still saves the cursor
		t.Fatal(err)
	}
	if _, err := s.Commit("hn", []Mention{mk("1", "", "x", 1)}, []byte("page-2")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit("hn", []Mention{mk("2", "", "y", 1)}, nil); err != nil { // nil cursor keeps the old one
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openT(t, dir)
	if c, _ := s.Cursor("hn"); string(c) != "page-2" {
		t.Fatalf("cursor = %q, want page-2", c)
	}
	if c, _ := s.Cursor("rss"); c != nil {
		t.Fatalf("other source cursor = %q", c)
	}
	if _, err := s.Commit("", nil, []byte("x")); err == nil {
		t.Fatal("cursor without source accepted")
	}
}

func TestCommitAtomic(t *testing.T) {
	s := openT(t, t.TempDir())
	commitT(t, s, mk("0", "", "before", 0))
	bad := mk("bad", "", "x", 1)
	bad.ID = "" // fails validation after two good mentions were put
	_, err := s.Commit("hn", []Mention{mk("1", "", "a", 1), mk("2", "", "b", 2), bad}, []byte("c1"))
	if err == nil || !strings.Contains(err.Error(), "empty id") {
		t.Fatalf("err = %v, want empty id", err)
	}
	for _, id := range []string{"hackernews:1", "hackernews:2"} {
		if _, ok, err := s.Get(id); ok || err != nil {
			t.Fatalf("%s stored by failed commit (err %v)", id, err)
		}
	}
	if c, _ := s.Cursor("hn"); c != nil {
		t.Fatalf("cursor %q stored by failed commit", c)
	}
	if st := s.Stats(); st.Mentions != 1 || st.LastSeq != 1 {
		t.Fatalf("stats after failed commit = %+v", st)
	}
	// the same batch, fixed, goes in whole
	r := commitT(t, s, mk("1", "", "a", 1), mk("2", "", "b", 2))
	if r.Added != 2 {
		t.Fatalf("retry = %+v", r)
	}
}

func TestGet(t *testing.T) {
	s := openT(t, t.TempDir())
	m := mk("42", "Title <b>", "Acme's batteries", 5, "Acme")
	m.Published = time.Time{} // filled from Fetched
	m.Engagement = map[string]int64{"points": 5}
	commitT(t, s, m)
	got, ok, err := s.Get("hackernews:42")
	if err != nil || !ok {
		t.Fatalf("get = %v %v", ok, err)
	}
	if got.Text != m.Text || got.Title != m.Title || got.Engagement["points"] != 5 || !got.Published.Equal(m.Fetched) || got.Brands[0] != "Acme" {
		t.Fatalf("got %+v", got)
	}
	if _, ok, err := s.Get("hackernews:nope"); ok || err != nil {
		t.Fatalf("missing id: ok=%v err=%v", ok, err)
	}
}

func TestSecondOpenFailsFast(t *testing.T) {
	dir := t.TempDir()
	openT(t, dir)
	start := time.Now()
	_, err := Open(dir, testOpts())
	if err == nil {
		t.Fatal("second open succeeded")
	}
	if !strings.Contains(err.Error(), "in use by another earshot process") || !errors.Is(err, berrors.ErrTimeout) {
		t.Fatalf("err = %v", err)
	}
	_ = start
}

func TestNewerSchemaRefused(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(filepath.Join(dir, dbFile), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, []byte("99")) }); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	if _, err := Open(dir, testOpts()); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("err = %v, want newer schema refusal", err)
	}
}

func TestCorruptIndexRebuiltOnOpen(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	commitT(t, s, mk("1", "", "acme battery", 1), mk("2", "", "globex battery", 2), mk("3", "", "initech", 3))
	syncT(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	idx := filepath.Join(dir, indexDir)
	if err := os.RemoveAll(idx); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(idx, 0o750); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"index_meta.json", "store"} {
		if err := os.WriteFile(filepath.Join(idx, f), []byte("\x00garbage{"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s = openT(t, dir)
	syncT(t, s)
	res := find(t, s, SearchRequest{Query: term("battery")})
	if got := sortedIDs(res); got != "1,2" {
		t.Fatalf("after rebuild battery = %s", got)
	}
	if res := find(t, s, SearchRequest{}); res.Total != 3 {
		t.Fatalf("after rebuild total = %d", res.Total)
	}
}

func TestMissingIndexRebuiltOnOpen(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	commitT(t, s, mk("1", "", "acme", 1))
	syncT(t, s)
	_ = s.Close()
	if err := os.RemoveAll(filepath.Join(dir, indexDir)); err != nil {
		t.Fatal(err)
	}
	s = openT(t, dir)
	syncT(t, s)
	if res := find(t, s, SearchRequest{Query: term("acme")}); res.Total != 1 {
		t.Fatalf("total = %d", res.Total)
	}
}

func TestReindexSameResults(t *testing.T) {
	s := openT(t, t.TempDir())
	seedSearch(t, s)
	reqs := []SearchRequest{
		{Query: term("battery")}, {Query: term("삼성")}, {Brands: []string{"Acme"}},
		{Query: phrase("battery life")}, {Query: term("acme"), Sort: SortNewest, Size: 2, Page: 2},
	}
	var before []string
	for _, r := range reqs {
		before = append(before, sortedIDs(find(t, s, r)))
	}
	if err := s.Reindex(context.Background()); err != nil {
		t.Fatal(err)
	}
	commitT(t, s, mk("late", "", "battery after reindex", 99))
	syncT(t, s)
	for i, r := range reqs {
		got := sortedIDs(find(t, s, r))
		want := before[i]
		if i == 0 {
			want += ",late"
		}
		if got != want {
			t.Errorf("req %d after reindex = %s, want %s", i, got, want)
		}
	}
	if _, err := os.Stat(filepath.Join(s.dir, indexDir+oldSuffix)); !os.IsNotExist(err) {
		t.Errorf("old index left behind: %v", err)
	}
}

func TestClosedStore(t *testing.T) {
	s := openT(t, t.TempDir())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	if _, err := s.Commit("hn", []Mention{mk("1", "", "x", 1)}, nil); err == nil {
		t.Fatal("commit after close succeeded")
	}
	if _, err := s.Search(context.Background(), SearchRequest{Page: 1}); err == nil {
		t.Fatal("search after close succeeded")
	}
}
