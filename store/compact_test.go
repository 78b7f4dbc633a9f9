package store

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCompactShrinksAndKeepsData(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	ms := retentionCorpus(2000)
	for i := range ms {
		ms[i].Text += strings.Repeat(" padding text for a fat mention", 40)
	}
	commitChunks(t, s, ms, 200)
	if _, err := s.Prune(context.Background(), ms[1800].Published); err != nil {
		t.Fatal(err)
	}
	syncT(t, s)
	wantRollups, wantStats := dumpAll(t, s), s.Stats()
	if _, err := Compact(dir, testOpts()); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("compact of an open store: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// A stale copy from an interrupted compaction is replaced.
	writeFileT(t, filepath.Join(dir, dbFile+compactSuffix), []byte("stale"))
	res, err := Compact(dir, testOpts())
	if err != nil {
		t.Fatal(err)
	}
	if res.After*3 > res.Before || res.Mentions != 200 {
		t.Fatalf("compact = %+v: want the file under a third of its size, 200 mentions", res)
	}
	if fi, err := os.Stat(filepath.Join(dir, dbFile)); err != nil || fi.Size() != res.After {
		t.Fatalf("file after compact: %v %v", fi, err)
	}
	if _, err := os.Stat(filepath.Join(dir, dbFile+compactSuffix)); !os.IsNotExist(err) {
		t.Fatalf("copy left behind: %v", err)
	}
	s2 := openT(t, dir)
	if got := dumpAll(t, s2); !reflect.DeepEqual(got, wantRollups) {
		t.Fatalf("rollups changed by compaction:\n%s", diffLines(wantRollups, got))
	}
	st := s2.Stats()
	if st.Mentions != wantStats.Mentions || st.LastSeq != wantStats.LastSeq || st.IndexedSeq != wantStats.IndexedSeq {
		t.Fatalf("stats after compaction %+v, before %+v", st, wantStats)
	}
	if m, ok, err := s2.Get(ms[1999].ID); !ok || err != nil || m.Text != ms[1999].Text {
		t.Fatalf("mention after compaction: %v %v", ok, err)
	}
	checkConsistent(t, s2, 200)
	// The sequence continues: a new mention is not given a used seq.
	commitT(t, s2, mk("after", "", "after compaction", 24*200, "Acme"))
	if s2.LastSeq() != wantStats.LastSeq+1 {
		t.Fatalf("last seq %d after compaction, want %d", s2.LastSeq(), wantStats.LastSeq+1)
	}
}

func TestCompactRefusesWhatIsNotAnEarshotDB(t *testing.T) {
	if _, err := Compact(t.TempDir(), testOpts()); err == nil {
		t.Error("compact of an empty dir succeeded")
	}
	dir := t.TempDir()
	writeFileT(t, filepath.Join(dir, dbFile), []byte(strings.Repeat("x", 8192)))
	if _, err := Compact(dir, Options{LockTimeout: 100 * time.Millisecond}); err == nil {
		t.Error("compact of garbage succeeded")
	}
}
