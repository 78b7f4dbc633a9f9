package store

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
	"time"
)

// mappedRSS sums the Rss of the process's maps whose file satisfies match,
// from /proc/self/smaps.
func mappedRSS(t *testing.T, match func(path string) bool) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatalf("smaps: %v", err)
	}
	defer f.Close()
	var n int64
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) >= 5 && strings.Contains(fs[0], "-") && !strings.HasSuffix(fs[0], ":") {
			in = len(fs) >= 6 && match(strings.Join(fs[5:], " "))
			continue
		}
		if in && len(fs) == 3 && fs[0] == "Rss:" {
			kb, err := strconv.ParseInt(fs[1], 10, 64)
			if err != nil {
				t.Fatalf("smaps: %q: %v", sc.Text(), err)
			}
			n += kb << 10
		}
	}
	return n
}

// mapsStore is a store of 3,000 mentions over ~2 weeks, reopened (so that
// every segment is a persisted, mapped file), with the trimmer off; it
// returns the matchers of its bbolt map and its segment maps.
func mapsStore(t *testing.T) (s *Store, isDB, isSeg func(string) bool) {
	t.Helper()
	dir := t.TempDir()
	opts := testOpts()
	opts.MapRSSLimit = -1
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(7))
	for c := range 10 {
		ms := make([]Mention, 300)
		for i := range ms {
			ms[i] = genMention(r, c*300+i)
		}
		commitT(t, s, ms...)
	}
	syncT(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = Open(dir, opts); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	db, idx := filepath.Join(dir, dbFile), filepath.Join(dir, indexDir)+string(filepath.Separator)
	isDB = func(p string) bool { return p == db }
	isSeg = func(p string) bool { return strings.HasPrefix(p, idx) && strings.HasSuffix(p, ".zap") }
	return s, isDB, isSeg
}

// touchMaps reads every mention from bbolt and searches the index with
// facets, so that pages of both maps are resident; it returns what it read.
func touchMaps(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	for n := range 3000 {
		m, ok, err := s.Get(fmt.Sprintf("gen:%d", n))
		if err != nil || !ok {
			t.Fatalf("get gen:%d: %v %v", n, ok, err)
		}
		b.WriteString(m.Title)
	}
	for _, q := range []string{"kubernetes", "charger", "invoice"} {
		res := find(t, s, SearchRequest{Query: term(q)})
		fmt.Fprintf(&b, "|%s %d %s %v", q, res.Total, sortedIDs(res), res.Facets)
	}
	return b.String()
}

func TestReleaseMapsDropsResidentPages(t *testing.T) {
	s, isDB, isSeg := mapsStore(t)
	want := touchMaps(t, s)
	db0, seg0 := mappedRSS(t, isDB), mappedRSS(t, isSeg)
	if db0 < 256<<10 || seg0 < 64<<10 {
		t.Fatalf("reads left too little resident to test: bbolt %d, segments %d bytes", db0, seg0)
	}
	rel, err := s.releaseMaps()
	if err != nil {
		t.Fatal(err)
	}
	db1, seg1 := mappedRSS(t, isDB), mappedRSS(t, isSeg)
	t.Logf("resident: bbolt %d → %d bytes, segments %d → %d bytes; released %+v", db0, db1, seg0, seg1, rel)
	// Nothing reads the maps meanwhile but the store's own idle
	// goroutines: at most a few pages may come back.
	if db1 > db0/8 || seg1 > seg0/8 {
		t.Errorf("release left bbolt %d of %d bytes and segments %d of %d resident", db1, db0, seg1, seg0)
	}
	if rel.DBBytes < db0 || rel.Segments == 0 || rel.IndexBytes < seg0 {
		t.Errorf("released %+v, less than the %d and %d bytes resident before", rel, db0, seg0)
	}
	// The pages come back from the page cache when read again: same data.
	if got := touchMaps(t, s); got != want {
		t.Errorf("reads after the release differ from before")
	}
	if mappedRSS(t, isDB) < db0/2 {
		t.Errorf("reading again did not map bbolt's pages again")
	}
}

func TestTrimMapsOnlyAboveLimit(t *testing.T) {
	s, isDB, isSeg := mapsStore(t)
	touchMaps(t, s)
	const limit = 1 << 30
	db0, seg0 := mappedRSS(t, isDB), mappedRSS(t, isSeg)
	did, _, err := s.trimMaps(limit, func() int64 { return limit })
	if err != nil || did {
		t.Fatalf("at the limit: trimmed %v, %v; want no trim", did, err)
	}
	if db, seg := mappedRSS(t, isDB), mappedRSS(t, isSeg); db < db0 || seg < seg0 {
		t.Errorf("at the limit the maps lost pages: bbolt %d → %d, segments %d → %d", db0, db, seg0, seg)
	}
	if did, _, err := s.trimMaps(-1, func() int64 { return limit + 1 }); err != nil || did {
		t.Fatalf("limit < 0 (never): trimmed %v, %v", did, err)
	}
	// Above the limit the maps are released. The reopened store's merger
	// may still be reading (mapping) segments, slowly on a loaded machine
	// (seen in CI beside a 10M soak: 0.83 of 1.9 MB mapped again at once),
	// so the trim is tried up to 5 times; a trim that releases nothing
	// fails all of them.
	var db, seg int64
	var rel MapRelease
	for try := 0; try < 5; try++ {
		did, r, err := s.trimMaps(limit, func() int64 { return limit + 1 })
		if err != nil || !did {
			t.Fatalf("above the limit: trimmed %v, %v; want a trim", did, err)
		}
		rel = r
		if db, seg = mappedRSS(t, isDB), mappedRSS(t, isSeg); db <= db0/8 && seg <= seg0/8 && rel.Segments > 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("above the limit: bbolt %d → %d, segments %d → %d, released %+v", db0, db, seg0, seg, rel)
}

// TestProcessRSSFile checks the reading of RssFile: a 4 MiB file map read
// through grows it by about that much.
func TestProcessRSSFile(t *testing.T) {
	const size = 4 << 20
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, make([]byte, size), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = unix.Munmap(b) }()
	before := processRSSFile()
	var sum byte
	for i := 0; i < size; i += os.Getpagesize() {
		sum += b[i]
	}
	after := processRSSFile()
	if before <= 0 || after-before < size*3/4 || sum != 0 {
		t.Errorf("RssFile %d → %d bytes after reading a %d-byte map", before, after, size)
	}
}

// TestOpenReleasesPartitionsAboveLimit: opening a partition touches its
// segments; above the limit the open releases them again, with no limit
// they stay resident.
func TestOpenReleasesPartitionsAboveLimit(t *testing.T) {
	s, _, isSeg := mapsStore(t)
	dir := s.dir
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	resident := func(limit int64) int64 {
		opts := testOpts()
		opts.MapRSSLimit = limit
		s, err := Open(dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		return mappedRSS(t, isSeg)
	}
	kept := resident(-1)
	released := resident(1) // any file page at all is above it
	// What the store reads after opening (its checks, the indexer's
	// start) maps some pages again: 5 of 21 on a quiet machine, up to 9
	// under load; without the release every page opening touched stays.
	if kept < 64<<10 || released > kept*3/4 {
		t.Errorf("segments resident after open: %d bytes with no limit, %d above the limit", kept, released)
	}
}

// docs/operations.md states the release's limit and how often it is
// checked, as the code has them.
func TestDocsStateMapRelease(t *testing.T) {
	doc, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("watches `RssFile` every %d s, and when it is above %d MiB", int(mapTrimEvery.Seconds()), DefaultMapRSSLimit>>20)
	if !strings.Contains(strings.Join(strings.Fields(string(doc)), " "), want) {
		t.Errorf("docs/operations.md does not say %q", want)
	}
}
