package store

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/rs/zerolog"
)

// storeWithSegments commits n mentions, closes the store and returns the
// paths of the index's segment files.
func storeWithSegments(t *testing.T, dir string, n int) []string {
	t.Helper()
	s := openT(t, dir)
	ms := make([]Mention, n)
	for i := range ms {
		ms[i] = mk(fmt.Sprint(i+1), "Acme battery", fmt.Sprintf("wombat report %d", i), i, "Acme")
	}
	commitT(t, s, ms...)
	syncT(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	segs, err := filepath.Glob(filepath.Join(partDir(dir, t0), "store", "*.zap"))
	if err != nil || len(segs) == 0 {
		t.Fatalf("no segment files (%v)", err)
	}
	return segs
}

// reopenLogged opens the store with a logger captured in the returned buffer.
func reopenLogged(t *testing.T, dir string) (*Store, *logBuffer) {
	t.Helper()
	var buf logBuffer
	opts := testOpts()
	opts.Logger = zerolog.New(&buf)
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, &buf
}

// A segment whose bytes were damaged makes bleve panic or allocate
// terabytes while opening it; the store must notice (CRC) and rebuild.
func TestOpenRebuildsIndexWithScribbledSegment(t *testing.T) {
	dir := t.TempDir()
	segs := storeWithSegments(t, dir, 300)
	for _, p := range segs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := len(b) / 4; i < len(b)*3/4; i += 7 {
			b[i] ^= 0x5a
		}
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s, log := reopenLogged(t, dir)
	if !strings.Contains(log.String(), "corrupt index segment") {
		t.Fatalf("no corrupt segment reported: %s", log)
	}
	syncT(t, s)
	if res := find(t, s, SearchRequest{Query: term("wombat")}); res.Total != 300 {
		t.Fatalf("wombat: %d hits after the rebuild, want 300", res.Total)
	}
}

// A segment file no snapshot lists (one being written when the process was
// killed) is bleve's to clean up; it must not cost a rebuild.
func TestOpenIgnoresUnlistedSegment(t *testing.T) {
	dir := t.TempDir()
	segs := storeWithSegments(t, dir, 50)
	stray := filepath.Join(filepath.Dir(segs[0]), "0000000fffff.zap")
	if err := os.WriteFile(stray, []byte("half-written segment"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, log := reopenLogged(t, dir)
	if strings.Contains(log.String(), "rebuilding") {
		t.Fatalf("an unlisted segment caused a rebuild: %s", log)
	}
	syncT(t, s)
	if res := find(t, s, SearchRequest{Query: term("wombat")}); res.Total != 50 {
		t.Fatalf("wombat: %d hits, want 50", res.Total)
	}
}

func TestCheckSegmentsRejectsTruncatedSegment(t *testing.T) {
	dir := t.TempDir()
	segs := storeWithSegments(t, dir, 20)
	if err := checkSegments(partDir(dir, t0)); err != nil {
		t.Fatalf("intact index: %v", err)
	}
	if err := os.Truncate(segs[0], 3); err != nil {
		t.Fatal(err)
	}
	if err := checkSegments(partDir(dir, t0)); err == nil || !strings.Contains(err.Error(), "corrupt index segment") {
		t.Fatalf("truncated segment: %v", err)
	}
}

// BenchmarkOpenIndexCheck compares the segment checksum pass with opening
// the same index in bleve (the baseline), on an index of 20,000 mentions.
func BenchmarkOpenIndexCheck(b *testing.B) {
	dir := b.TempDir()
	s, err := Open(dir, testOpts())
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		ms := make([]Mention, 1000)
		for j := range ms {
			n := i*1000 + j
			ms[j] = mk(fmt.Sprint(n+1), "Acme battery review", fmt.Sprintf("wombat report %d on the charger and the case", n), n, "Acme")
		}
		if _, err := s.Commit("hn", ms, nil); err != nil {
			b.Fatal(err)
		}
	}
	syncT(b, s)
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	path := partDir(dir, t0)
	b.Run("bleve.Open", func(b *testing.B) {
		for b.Loop() {
			idx, err := bleve.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			_ = idx.Close()
		}
	})
	var size int64
	segs, _ := filepath.Glob(filepath.Join(path, "store", "*.zap"))
	for _, p := range segs {
		if fi, err := os.Stat(p); err == nil {
			size += fi.Size()
		}
	}
	b.Logf("%d segments, %d bytes", len(segs), size)
	b.Run("checkSegments", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			if err := checkSegments(path); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// logBuffer is a log sink the store's goroutines may write at once (the
// partitions open side by side, each logging).
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
