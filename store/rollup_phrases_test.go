package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Kept phrases are read back by ID and version, survive a rebuild of the
// rollups, leave with their mention at retention, and verify flags a
// record whose mention is gone or that does not decode.
func TestKeepPhrases(t *testing.T) {
	s := openT(t, t.TempDir())
	commitT(t, s, mk("1", "a", "x", 0, "acme"), mk("2", "b", "y", 1, "acme"), mk("3", "c", "z", 200, "acme"))
	ids := []string{"hackernews:1", "hackernews:2", "hackernews:3", "hackernews:none"}
	got, kept, err := s.KeptPhrases(ids, "v1")
	if err != nil || !reflect.DeepEqual(kept, []bool{false, false, false, false}) || got[0] != nil {
		t.Fatalf("before any keep: %v %v %v", got, kept, err)
	}
	if err := s.KeepPhrases("v1", ids[:2], [][]string{{"charging cable", "new charging cable"}}); err == nil {
		t.Fatal("2 IDs with 1 phrase list: no error")
	}
	if err := s.KeepPhrases("v1", ids, [][]string{{"charging cable", "new charging cable"}, nil, {"보조배터리 발열"}, {"lost"}}); err != nil {
		t.Fatal(err)
	}
	got, kept, err = s.KeptPhrases(ids, "v1")
	want := [][]string{{"charging cable", "new charging cable"}, {}, {"보조배터리 발열"}, nil}
	if err != nil || !reflect.DeepEqual(kept, []bool{true, true, true, false}) || !reflect.DeepEqual(got, want) {
		t.Fatalf("kept %v %v, want %v (err %v)", got, kept, want, err)
	}
	if _, kept, _ := s.KeptPhrases(ids, "v2"); kept[0] || kept[1] {
		t.Fatalf("another version read as kept: %v", kept)
	}
	if err := s.RebuildRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got2, _, _ := s.KeptPhrases(ids, "v1"); !reflect.DeepEqual(got2, want) {
		t.Fatalf("after a rebuild: %v", got2)
	}
	if _, err := s.Prune(context.Background(), t0.Add(100*time.Hour)); err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := s.db.View(func(tx *bolt.Tx) error { n = tx.Bucket(bucketPhrases).Stats().KeyN; return nil }); err != nil || n != 1 {
		t.Fatalf("after pruning 2 of 3 mentions, %d phrase records (err %v), want 1", n, err)
	}
	rep, err := s.Verify(context.Background(), VerifyOptions{})
	if err != nil || rep.ProblemCount != 0 {
		t.Fatalf("verify of a clean store: %v %+v", err, rep.Problems)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPhrases)
		if err := b.Put(seqKey(1), encodePhrases("v1", []string{"orphan"})); err != nil {
			return err
		}
		return b.Put(seqKey(3), []byte{2, 'v', '1', 9})
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err = s.Verify(context.Background(), VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, p := range rep.Problems {
		lines = append(lines, p.String())
	}
	all := strings.Join(lines, "\n")
	for _, w := range []string{"rollup_phrases", "seq 1, which is not in the mentions log", "does not decode"} {
		if !strings.Contains(all, w) {
			t.Errorf("verify does not say %q:\n%s", w, all)
		}
	}
	if rep.ProblemCount != 2 {
		t.Errorf("%d problems, want 2:\n%s", rep.ProblemCount, all)
	}
	if _, _, err := s.KeptPhrases([]string{"hackernews:3"}, "v1"); err == nil {
		t.Error("an undecodable record read without an error")
	}
}
