package bench

import (
	"strings"
	"testing"
)

// TestParseSmaps splits a hand-written smaps listing: anonymous maps (no
// path, [heap]), bbolt's file, two partitions' segments and the binary.
func TestParseSmaps(t *testing.T) {
	const listing = `00400000-00c00000 r-xp 00000000 fd:00 1234 /usr/local/bin/earshot-bench
Size:               8192 kB
Rss:                3000 kB
Pss:                3000 kB
7f0000000000-7f0100000000 r--s 00000000 fd:00 99 /data/earshot.db
Size:            4194304 kB
Rss:              200000 kB
7f0200000000-7f0200400000 r--s 00000000 fd:00 100 /data/index/2026-W47.bleve/store/00000000001f.zap
Rss:                4096 kB
7f0200400000-7f0200800000 r--s 00000000 fd:00 101 /data/index/2026-W47.bleve/store/000000000022.zap
Rss:                1024 kB
7f0200800000-7f0200c00000 r--s 00000000 fd:00 102 /data/index/2026-W48.bleve/store/000000000003.zap
Rss:                2048 kB
7f0300000000-7f0310000000 rw-p 00000000 00:00 0 
Rss:              300000 kB
7ffc00000000-7ffc00100000 rw-p 00000000 00:00 0                          [heap]
Rss:                1000 kB
VmFlags: rd wr mr mw me ac
`
	got := parseSmaps(strings.NewReader(listing))
	want := rssSplit{
		total: (3000 + 200000 + 4096 + 1024 + 2048 + 300000 + 1000) << 10,
		anon:  (300000 + 1000) << 10, bbolt: 200000 << 10, bleve: (4096 + 1024 + 2048) << 10, other: 3000 << 10,
		topPart: "2026-W47.bleve", topBytes: (4096 + 1024) << 10, parts: 2,
	}
	if got != want {
		t.Errorf("parseSmaps:\n got %+v\nwant %+v", got, want)
	}
	if s := got.String(); !strings.Contains(s, "bbolt map 195 MiB") || !strings.Contains(s, "largest 2026-W47.bleve 5 MiB") {
		t.Errorf("String() = %q", s)
	}
}
