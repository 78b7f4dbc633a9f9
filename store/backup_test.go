package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func writeFileT(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A backup taken while commits go on is the database as of one commit: the
// cursor, the log, the counters and the rollups agree.
func TestBackupIsConsistentUnderWrites(t *testing.T) {
	s := openT(t, t.TempDir())
	const per = 20
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var werr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for b := 1; ; b++ {
			select {
			case <-stop:
				return
			default:
			}
			ms := make([]Mention, 0, per)
			for i := 0; i < per; i++ {
				ms = append(ms, crashMention(b, i))
			}
			if _, err := s.Commit(crashSource, ms, []byte(strconv.Itoa(b))); err != nil {
				werr = err
				return
			}
		}
	}()
	var snaps [][]byte
	for len(snaps) < 3 {
		if s.LastSeq() < uint64(per*(len(snaps)+1)*5) {
			syncT(t, s) // let some batches land first
			continue
		}
		var buf bytes.Buffer
		n, err := s.Backup(context.Background(), &buf)
		if err != nil || n != int64(buf.Len()) {
			t.Fatalf("backup: %d bytes, %v", n, err)
		}
		snaps = append(snaps, buf.Bytes())
	}
	close(stop)
	wg.Wait()
	if werr != nil {
		t.Fatal(werr)
	}
	for i, snap := range snaps {
		cp := restoreCopy(t, snap)
		c, err := cp.Cursor(crashSource)
		if err != nil {
			t.Fatal(err)
		}
		b, err := strconv.Atoi(string(c))
		if err != nil {
			t.Fatalf("snapshot %d: cursor %q", i, c)
		}
		checkConsistent(t, cp, b*per)
		if _, ok, _ := cp.Get(crashMention(b+1, 0).ID); ok {
			t.Fatalf("snapshot %d: batch %d stored without its cursor", i, b+1)
		}
		if res := find(t, cp, SearchRequest{Query: term(fmt.Sprintf("zq%d", b))}); res.Total != per {
			t.Fatalf("snapshot %d: search zq%d = %d hits, want %d", i, b, res.Total, per)
		}
	}
}

func TestBackupCancelled(t *testing.T) {
	s := openT(t, t.TempDir())
	commitT(t, s, rollupFixture()...)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Backup(ctx, &bytes.Buffer{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled backup: %v", err)
	}
}

func TestBackupFileOfStoppedStore(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	commitT(t, s, rollupFixture()...)
	if _, err := BackupFile(dir, &bytes.Buffer{}, testOpts()); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("offline backup of an open store: %v", err)
	}
	want := dumpAll(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := BackupFile(dir, &buf, testOpts()); err != nil {
		t.Fatal(err)
	}
	cp := restoreCopy(t, buf.Bytes())
	if got := dumpAll(t, cp); !reflect.DeepEqual(got, want) {
		t.Fatalf("offline backup differs:\n%s", diffLines(want, got))
	}
	if _, err := BackupFile(t.TempDir(), &buf, testOpts()); err == nil {
		t.Fatal("backup of an empty dir succeeded")
	}
}

func TestRestoreReplacesDataAndRebuildsIndex(t *testing.T) {
	src := openT(t, t.TempDir())
	commitT(t, src, mk("1", "", "restored acme battery", 0, "Acme"), mk("2", "", "restored globex", 1, "Globex"))
	var buf bytes.Buffer
	if _, err := src.Backup(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "b.db")
	writeFileT(t, backup, buf.Bytes())

	dir := t.TempDir()
	dst := openT(t, dir)
	commitT(t, dst, mk("old", "", "previous data", 0, "Acme"))
	syncT(t, dst)
	if _, err := Restore(dir, backup, testOpts()); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("restore into an open store: %v", err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	res, err := Restore(dir, backup, testOpts())
	if err != nil {
		t.Fatal(err)
	}
	if res.Backup.Mentions != 2 || res.Previous == "" {
		t.Fatalf("restore = %+v", res)
	}
	if _, err := os.Stat(res.Previous); err != nil {
		t.Fatalf("previous database not kept: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, indexDir)); !os.IsNotExist(err) {
		t.Fatalf("index not removed: %v", err)
	}
	s := openT(t, dir)
	syncT(t, s)
	if got := sortedIDs(find(t, s, SearchRequest{Query: term("restored")})); got != "1,2" {
		t.Fatalf("search after restore = %q", got)
	}
	if res := find(t, s, SearchRequest{Query: term("previous")}); res.Total != 0 {
		t.Fatalf("old data still searchable: %d", res.Total)
	}
	checkConsistent(t, s, 2)
}

func TestRestoreRejectsBadBackups(t *testing.T) {
	src := openT(t, t.TempDir())
	commitT(t, src, retentionCorpus(200)...)
	var buf bytes.Buffer
	if _, err := src.Backup(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	tmp := t.TempDir()
	bad := map[string][]byte{
		"empty":     nil,
		"garbage":   bytes.Repeat([]byte("not a database "), 1000),
		"truncated": good[:len(good)/2],
		"header":    good[:4096],
	}
	// A bbolt file that is not Earshot's, and one from a newer Earshot.
	for name, fill := range map[string]func(*bolt.Tx) error{
		"foreign": func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("x")); return err },
		"newer": func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(keySchema, []byte(strconv.Itoa(schemaVersion+1)))
		},
	} {
		p := filepath.Join(tmp, name+".db")
		if name == "newer" {
			writeFileT(t, p, good)
		}
		db, err := bolt.Open(p, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Update(fill); err != nil {
			t.Fatal(err)
		}
		_ = db.Close()
		b, _ := os.ReadFile(p)
		bad[name] = b
	}
	dir := t.TempDir()
	keep := openT(t, dir)
	commitT(t, keep, mk("keep", "", "kept", 0, "Acme"))
	if err := keep.Close(); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, dbFile))
	for name, b := range bad {
		p := filepath.Join(tmp, name+".backup")
		writeFileT(t, p, b)
		if _, err := Restore(dir, p, testOpts()); err == nil {
			t.Errorf("%s backup restored", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	if _, err := Restore(dir, filepath.Join(tmp, "missing"), testOpts()); err == nil {
		t.Error("missing backup restored")
	}
	if after, _ := os.ReadFile(filepath.Join(dir, dbFile)); !bytes.Equal(before, after) {
		t.Error("a rejected restore changed the database")
	}
	s := openT(t, dir)
	if _, ok, _ := s.Get("hackernews:keep"); !ok {
		t.Error("data lost by rejected restores")
	}
}
