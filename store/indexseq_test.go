package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earshot/earshot/query"
	bolt "go.etcd.io/bbolt"
)

func wombats(from, n int) []Mention {
	ms := make([]Mention, n)
	for i := range ms {
		ms[i] = mk(fmt.Sprint(from+i), "Acme battery", fmt.Sprintf("wombat report %d", from+i), i, "Acme")
	}
	return ms
}

func countWombats(t *testing.T, s *Store) uint64 {
	t.Helper()
	return find(t, s, SearchRequest{Query: query.Term{Text: "wombat"}, Size: 1}).Total
}

// copyDir copies a directory tree (an index.bleve).
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if fi.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o750)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// An index.bleve swapped in from an earlier time is noticed at open (its
// own sequence is behind the database's watermark) and rebuilt: every
// mention is found again and the lag is honest, not "index lag 0" over a
// fraction of the mentions.
func TestStaleIndexRebuilt(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	commitT(t, s, wombats(1, 100)...)
	syncT(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(t.TempDir(), "stale.bleve")
	copyDir(t, filepath.Join(dir, indexDir), stale)

	s = openT(t, dir)
	commitT(t, s, wombats(101, 250)...)
	syncT(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, indexDir)); err != nil {
		t.Fatal(err)
	}
	copyDir(t, stale, filepath.Join(dir, indexDir))

	s, logs := reopenLogged(t, dir)
	if !strings.Contains(logs.String(), "another point in time") {
		t.Errorf("no rebuild logged: %s", logs)
	}
	syncT(t, s)
	if n := countWombats(t, s); n != 350 {
		t.Fatalf("after reopening with a stale index: %d of 350 mentions found", n)
	}
}

// An index newer than the database (an older earshot.db restored beside
// it) is rebuilt too: it would serve mentions the database does not have.
func TestIndexNewerThanDatabaseRebuilt(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	commitT(t, s, wombats(1, 100)...)
	syncT(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	oldDB, err := os.ReadFile(filepath.Join(dir, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	s = openT(t, dir)
	commitT(t, s, wombats(101, 100)...)
	syncT(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, dbFile), oldDB, 0o600); err != nil {
		t.Fatal(err)
	}
	s, logs := reopenLogged(t, dir)
	if !strings.Contains(logs.String(), "another point in time") {
		t.Errorf("no rebuild logged: %s", logs)
	}
	syncT(t, s)
	if n := countWombats(t, s); n != 100 {
		t.Fatalf("index newer than the database: %d found, want the database's 100", n)
	}
}

// A crash between a partition's write and the database's update leaves the
// partition ahead of its record (and of the watermark): it is kept (no
// rebuild), not adopted (another partition of the step may not have
// persisted), and the step is replayed, idempotently.
func TestIndexAheadOfWatermarkKept(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	commitT(t, s, wombats(1, 200)...)
	syncT(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(filepath.Join(dir, dbFile), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put(partKey(weekOf(wombats(1, 200)[199].Published)), seqKey(150)); err != nil { // the newest week: the last step wrote it
			return err
		}
		return meta.Put(keyWatermark, seqKey(150))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, logs := reopenLogged(t, dir)
	if strings.Contains(logs.String(), "rebuilding") || !strings.Contains(logs.String(), "kept, the step is replayed") {
		t.Errorf("want the partition kept without a rebuild: %s", logs)
	}
	if wm := s.watermark.Load(); wm != 150 {
		t.Errorf("watermark after open = %d, want 150 (not adopted)", wm)
	}
	syncT(t, s)
	if wm := s.watermark.Load(); wm != 200 {
		t.Errorf("watermark after the replay = %d, want 200", wm)
	}
	if n := countWombats(t, s); n != 200 {
		t.Errorf("found %d of 200", n)
	}
}
