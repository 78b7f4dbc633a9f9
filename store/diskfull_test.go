package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/store/fstest"
)

// fill writes zeros to path until the filesystem is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatalf("fill: %v", err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !isNoSpace(err) {
				t.Fatalf("fill: %v", err)
			}
			return
		}
	}
}

func fullMention(b, i int) Mention {
	m := mk(fmt.Sprintf("%d-%d", b, i), "acme battery report",
		strings.Repeat("lorem ipsum dolor sit amet acme battery ", 40)+fmt.Sprintf(" uniq%dx%d", b, i), b%500, "acme")
	return m
}

// TestDiskFullPausesAndResumes fills a real 16 MiB filesystem by ingesting:
// writes pause (ErrNoSpace, WriteState), reads go on, nothing panics; once
// space is freed writes resume and every acknowledged mention is stored
// and indexed.
func TestDiskFullPausesAndResumes(t *testing.T) {
	for _, c := range []struct {
		name     string
		external bool
	}{
		{"ingest fills it", false},
		{"another process fills it", true},
	} {
		t.Run(c.name, func(t *testing.T) { testDiskFull(t, c.external) })
	}
}

func testDiskFull(t *testing.T, external bool) {
	fsDir := fstest.MountSmall(t, "40m")
	ballast := filepath.Join(fsDir, "ballast")
	if err := os.WriteFile(ballast, make([]byte, 6<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(fsDir, "data")
	opts := testOpts()
	opts.MinFree = 12 << 20 // room for bleve's merges below the reserve
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	acked, failedAt := 0, -1
	filler := filepath.Join(fsDir, "filler")
	for b := 0; b < 5000 && failedAt < 0; b++ {
		if external && b == 10 {
			syncT(t, s) // the indexer idle: a fill racing a bleve write is the known limit (docs/operations.md)
			fstest.FillLeaving(t, filler, opts.MinFree/2)
		}
		ms := make([]Mention, 50)
		for i := range ms {
			ms[i] = fullMention(b, i)
		}
		if _, err := s.Commit("hn", ms, []byte(fmt.Sprint(b))); err != nil {
			if !errors.Is(err, ErrNoSpace) {
				t.Fatalf("batch %d: want ErrNoSpace, got %v", b, err)
			}
			failedAt = b
			break
		}
		acked += len(ms)
	}
	if failedAt < 0 {
		t.Fatal("the filesystem never filled")
	}
	t.Logf("paused after %d acknowledged mentions (batch %d)", acked, failedAt)
	st := s.Stats()
	if !st.Writes.Paused || st.Writes.Since == nil || st.Writes.Reason == "" {
		t.Fatalf("write state while full: %+v", st.Writes)
	}
	// Writes are refused at once while paused; reads go on.
	if _, err := s.Commit("hn", []Mention{fullMention(9999, 0)}, nil); !errors.Is(err, ErrNoSpace) {
		t.Fatalf("commit while paused: %v", err)
	}
	if m, ok, err := s.Get("hackernews:0-0"); err != nil || !ok || m.NativeID != "0-0" {
		t.Fatalf("get while full: %v %v %+v", ok, err, m)
	}
	res, err := s.Search(context.Background(), SearchRequest{Page: 1, Size: 5})
	if err != nil || res.Total == 0 {
		t.Fatalf("search while full: %v (%+v)", err, res)
	}
	n := 0
	if err := s.Range(context.Background(), t0.Add(-time.Hour), t0.Add(1000*time.Hour), func(Mention) error { n++; return nil }); err != nil || n != acked {
		t.Fatalf("range (report) while full: %d of %d, %v", n, acked, err)
	}
	if got := s.Stats().Mentions; got != uint64(acked) {
		t.Fatalf("stats while full: %d mentions, acknowledged %d", got, acked)
	}
	// A probe with less than MinFree free must not resume. bleve's merges
	// go on while writes are paused and may free space between the fill
	// and the probe; a probe that read MinFree or more free resumes rightly,
	// and then the store is filled again until it pauses, and probed again.
	fills := []string{ballast, filler}
	for try := 0; ; try++ {
		f := fmt.Sprintf("%s-%d", filler, try)
		fills = append(fills, f)
		fstest.FillLeaving(t, f, opts.MinFree/2)
		err := s.ProbeSpace()
		s.space.mu.Lock()
		read := s.space.probeFree
		s.space.mu.Unlock()
		if err != nil {
			break
		}
		if read < opts.MinFree || try == 4 {
			t.Fatalf("resumed while still full: the probe read %d bytes free, %d needed (try %d)", read, opts.MinFree, try)
		}
		t.Logf("merges freed space before the probe (it read %d bytes free); filling again", read)
		for b := 0; ; b++ {
			if _, err := s.Commit("hn", []Mention{fullMention(8000+try, b)}, nil); errors.Is(err, ErrNoSpace) {
				break
			} else if err != nil {
				t.Fatalf("refill: %v", err)
			}
			acked++
		}
	}

	for _, f := range fills {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
	}
	// Space is back, but writes stay refused until a probe has resumed
	// them (and reopened a faulted index): the background prober is held
	// off meanwhile, so the refusal can only come from the pause itself.
	s.resumeMu.Lock()
	_, err = s.Commit("hn", []Mention{fullMention(9998, 0)}, nil)
	s.resumeMu.Unlock()
	if !errors.Is(err, ErrNoSpace) {
		t.Fatalf("commit while paused with space free again: %v, want ErrNoSpace", err)
	}
	if err := s.ProbeSpace(); err != nil {
		t.Fatalf("resume after freeing space: %v", err)
	}
	select {
	case <-s.Resumed():
	default:
		t.Fatal("Resumed not closed after the resume")
	}
	if s.Stats().Writes.Paused {
		t.Fatal("still paused after the resume")
	}
	total := acked
	for b := failedAt; b < failedAt+3; b++ {
		ms := make([]Mention, 50)
		for i := range ms {
			ms[i] = fullMention(b, i)
		}
		if _, err := s.Commit("hn", ms, []byte(fmt.Sprint(b))); err != nil {
			t.Fatalf("batch %d after resume: %v", b, err)
		}
		total += len(ms)
	}
	syncT(t, s)
	if got := s.Stats().Mentions; got != uint64(total) {
		t.Fatalf("%d mentions stored, want %d", got, total)
	}
	res, err = s.Search(context.Background(), SearchRequest{Page: 1, Size: 1})
	if err != nil || res.Total != uint64(total) {
		t.Fatalf("search after resume: %d indexed, want %d (%v)", res.Total, total, err)
	}
	for b := 0; b < failedAt+3; b++ {
		for _, i := range []int{0, 49} {
			if _, ok, err := s.Get(fmt.Sprintf("hackernews:%d-%d", b, i)); !ok || err != nil {
				t.Fatalf("mention %d-%d lost: %v", b, i, err)
			}
		}
	}
}

// TestRestartWhileFull opens a store on a filesystem with no byte free:
// no panic; reads work, writes are refused with ErrNoSpace, and resume
// once space is freed.
func TestRestartWhileFull(t *testing.T) {
	fsDir := fstest.MountSmall(t, "8m")
	dir := filepath.Join(fsDir, "data")
	opts := testOpts()
	opts.MinFree = MinMinFree
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	for b := 0; b < 4; b++ {
		ms := make([]Mention, 50)
		for i := range ms {
			ms[i] = fullMention(b, i)
		}
		commitT(t, s, ms...)
	}
	syncT(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	filler := filepath.Join(fsDir, "filler")
	fill(t, filler)

	s, err = Open(dir, opts)
	if err != nil {
		// A clear refusal is acceptable; a panic is not.
		if !isNoSpace(err) {
			t.Fatalf("open while full: %v", err)
		}
		t.Logf("open while full refused: %v", err)
		if err := os.Remove(filler); err != nil {
			t.Fatal(err)
		}
		s = openT(t, dir)
	} else {
		defer s.Close()
		if _, ok, err := s.Get("hackernews:1-1"); !ok || err != nil {
			t.Fatalf("get while full: %v", err)
		}
		_, err := s.Commit("hn", []Mention{fullMention(100, 0), fullMention(100, 1)}, nil)
		for i := 0; err == nil && i < 200; i++ { // bbolt reuses free pages first
			_, err = s.Commit("hn", []Mention{fullMention(101+i, 0)}, nil)
		}
		if !errors.Is(err, ErrNoSpace) {
			t.Fatalf("commit while full: %v", err)
		}
		if err := os.Remove(filler); err != nil {
			t.Fatal(err)
		}
		if err := s.ProbeSpace(); err != nil {
			t.Fatalf("resume: %v", err)
		}
	}
	commitT(t, s, fullMention(500, 0))
	syncT(t, s)
	if _, ok, _ := s.Get("hackernews:500-0"); !ok {
		t.Fatal("commit after resume not stored")
	}
}
