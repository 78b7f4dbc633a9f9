package bench

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// rssSplit is where the resident set was when it was sampled: anonymous
// memory, bbolt's map, the bleve segments' maps (in all and the largest
// partition), and other files (the binary, libraries), from the Rss lines of
// /proc/self/smaps.
type rssSplit struct {
	total, anon, bbolt, bleve, other int64
	topPart                          string // the partition with the most resident pages
	topBytes                         int64
	parts                            int // partitions with resident pages
}

// String is one line of the split, for the soak's output.
func (s rssSplit) String() string {
	if s.total == 0 {
		return "n/a"
	}
	return fmt.Sprintf("anonymous %s, bbolt map %s, bleve maps %s (%d partitions; largest %s %s), other files %s",
		mib(s.anon), mib(s.bbolt), mib(s.bleve), s.parts, s.topPart, mib(s.topBytes), mib(s.other))
}

// readSmaps splits the process's resident set by map; the zero split when
// /proc/self/smaps cannot be read.
func readSmaps() rssSplit {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return rssSplit{}
	}
	defer f.Close()
	return parseSmaps(f)
}

// parseSmaps splits an smaps listing: a map with no path or a [bracketed]
// name is anonymous; a file named earshot.db is bbolt's; a file under an
// index/<partition>/ directory is a bleve segment of that partition.
func parseSmaps(r io.Reader) rssSplit {
	var s rssSplit
	byPart := map[string]int64{}
	kind, part := "anon", ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "Rss:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				continue
			}
			b := kb << 10
			s.total += b
			switch kind {
			case "anon":
				s.anon += b
			case "bbolt":
				s.bbolt += b
			case "bleve":
				s.bleve += b
				byPart[part] += b
			default:
				s.other += b
			}
			continue
		}
		if kind2, part2, ok := mapHeader(line); ok {
			kind, part = kind2, part2
		}
	}
	for p, b := range byPart {
		if b > 0 {
			s.parts++
		}
		if c := cmp.Compare(b, s.topBytes); c > 0 || c == 0 && p < s.topPart {
			s.topPart, s.topBytes = p, b
		}
	}
	return s
}

// mapHeader classifies an smaps header line ("start-end perms offset dev
// inode [path]"); ok is false for the other lines.
func mapHeader(line string) (kind, part string, ok bool) {
	fs := strings.Fields(line)
	if len(fs) < 5 || !strings.Contains(fs[0], "-") || strings.HasSuffix(fs[0], ":") {
		return "", "", false
	}
	if _, err := strconv.ParseUint(fs[4], 10, 64); err != nil { // the inode
		return "", "", false
	}
	if len(fs) < 6 || strings.HasPrefix(fs[5], "[") {
		return "anon", "", true
	}
	path := strings.Join(fs[5:], " ")
	if filepath.Base(path) == "earshot.db" {
		return "bbolt", "", true
	}
	dirs := strings.Split(filepath.ToSlash(path), "/")
	if i := slices.Index(dirs, "index"); i >= 0 && i+2 < len(dirs) {
		return "bleve", dirs[i+1], true
	}
	return "other", "", true
}
