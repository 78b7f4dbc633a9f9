package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// verifyFixture builds a closed store of 300 mentions with ids
// hackernews:0000, 0010, 0020, … (gaps, so a flipped last digit keeps
// the byid keys in order) and returns its dir.
func verifyFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(dir, testOpts())
	if err != nil {
		t.Fatal(err)
	}
	ms := make([]Mention, 300)
	for i := range ms {
		ms[i] = mk(fmt.Sprintf("%04d", i*10), "acme title", "acme battery text", i%48, "acme")
	}
	commitT(t, s, ms...)
	syncT(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// patchFile replaces the first occurrence of old with new in path.
func patchFile(t *testing.T, path string, old, new []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(b, old)
	if i < 0 || bytes.Contains(b[i+1:], old) {
		t.Fatalf("patch: %q found %d times", old, bytes.Count(b, old))
	}
	copy(b[i:], new)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyCorruptionTable damages a database in one way per case and
// checks what verify reports, that Open refuses or warns instead of
// crashing, and that a clean store verifies clean.
func TestVerifyCorruptionTable(t *testing.T) {
	seq18 := string(seqKey(18)) // hackernews:0170 is the 18th mention
	cases := []struct {
		name     string
		damage   func(t *testing.T, path string)
		want     []string // lines verify must print (substrings of Problem.String)
		openFail string   // "" = Open succeeds
	}{
		{name: "clean", damage: func(*testing.T, string) {}},
		{
			name: "truncated",
			damage: func(t *testing.T, path string) {
				fi, _ := os.Stat(path)
				if err := os.Truncate(path, fi.Size()/2); err != nil {
					t.Fatal(err)
				}
			},
			want:     []string{"file: ", "truncated: "},
			openFail: "truncated",
		},
		{
			name: "byte flipped in a record",
			damage: func(t *testing.T, path string) {
				patchFile(t, path, []byte(`{"id":"hackernews:0170"`), []byte(`["id"`))
			},
			want: []string{
				"mentions seq 18: record does not decode",
				`counts "total": counter says 300, the mentions log holds 299`,
				`counts "b:acme": counter says 300, the mentions log holds 299`,
			},
		},
		{
			name: "byte flipped in an id-index key",
			damage: func(t *testing.T, path string) {
				patchFile(t, path, []byte("hackernews:0170"+seq18), []byte("hackernews:0175"))
			},
			want: []string{
				`byid "hackernews:0170": missing: mention seq 18 is not reachable by its id`,
				`byid "hackernews:0175": points at seq 18, whose mention is "hackernews:0170"`,
			},
		},
		{
			name: "byte flipped in a meta page",
			damage: func(t *testing.T, path string) {
				flipAt(t, path, boltMetaAt+20) // in meta page 0's root bucket field
			},
			want: []string{"file: meta page 0: checksum mismatch (bbolt falls back to the other meta page"},
		},
		{
			// The backward check: byid "hackernews:0170" names seq 19
			// (hackernews:0180) instead of 18.
			name: "byte flipped in an id-index value",
			damage: func(t *testing.T, path string) {
				patchFile(t, path, []byte("hackernews:0170"+seq18), []byte("hackernews:0170"+string(seqKey(19))))
			},
			want: []string{
				`byid "hackernews:0170": points at seq 19, but the mention with this id is seq 18`,
				`byid "hackernews:0170": points at seq 19, whose mention is "hackernews:0180"`,
			},
		},
		{
			// A plausible but wrong page size in a damaged meta page 0 must
			// not be trusted to find meta page 1: bbolt looks for it at the
			// OS page size, and so must the check, or a file bbolt opens
			// (from meta page 1) is refused as having both pages damaged.
			name: "page size doubled in meta page 0",
			damage: func(t *testing.T, path string) {
				ps := readU32At(t, path, boltMetaAt+8)
				writeU32At(t, path, boltMetaAt+8, 2*ps)
			},
			want: []string{"file: meta page 0: checksum mismatch (bbolt falls back to the other meta page"},
		},
		{
			name: "both meta pages",
			damage: func(t *testing.T, path string) {
				flipAt(t, path, boltMetaAt+20)
				flipAt(t, path, int64(os.Getpagesize())+boltMetaAt+20)
			},
			want:     []string{"both meta pages are damaged"},
			openFail: "both meta pages are damaged",
		},
	}
	base := verifyFixture(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, dbFile)
			if err := copyFile(filepath.Join(base, dbFile), path); err != nil {
				t.Fatal(err)
			}
			c.damage(t, path)
			rep, err := VerifyFile(context.Background(), dir, VerifyOptions{}, testOpts())
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			var lines []string
			for _, p := range rep.Problems {
				lines = append(lines, p.String())
			}
			all := strings.Join(lines, "\n")
			if len(c.want) == 0 && !rep.OK() {
				t.Fatalf("clean store reported:\n%s", all)
			}
			if len(c.want) > 0 && rep.OK() {
				t.Fatal("damage not reported")
			}
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("verify output lacks %q; got:\n%s", w, all)
				}
			}
			if c.name == "clean" && (rep.Mentions != 300 || rep.IDs != 300 || rep.Times != 300 || !rep.CountersChecked || rep.HoursSample == 0) {
				t.Errorf("clean walk: %+v", rep)
			}
			s, err := Open(dir, testOpts())
			switch {
			case c.openFail == "" && err != nil:
				t.Fatalf("open: %v", err)
			case c.openFail != "":
				if err == nil {
					s.Close()
					t.Fatalf("open of a %s file succeeded", c.name)
				}
				if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), c.openFail) || !strings.Contains(err.Error(), "earshot verify") {
					t.Fatalf("open error %q: want ErrDamaged naming %q and the advice", err, c.openFail)
				}
				if _, err := Compact(dir, testOpts()); !errors.Is(err, ErrDamaged) {
					t.Fatalf("compact of a damaged file: %v", err)
				}
				return
			}
			defer s.Close()
			if c.name == "byte flipped in a record" || c.name == "byte flipped in an id-index value" {
				if _, _, err := s.Get("hackernews:0170"); err == nil {
					t.Fatal("a damaged record was served without an error")
				}
			}
			if rec := s.Stats().Verify; rec == nil || rec.Problems != rep.ProblemCount {
				t.Fatalf("recorded verify %+v, report had %d problems", rec, rep.ProblemCount)
			}
		})
	}
}

func flipAt(t *testing.T, path string, off int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b [1]byte
	if _, err := f.ReadAt(b[:], off); err != nil {
		t.Fatal(err)
	}
	b[0] ^= 0xff
	if _, err := f.WriteAt(b[:], off); err != nil {
		t.Fatal(err)
	}
}

func readU32At(t *testing.T, path string, off int64) uint32 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b [4]byte
	if _, err := f.ReadAt(b[:], off); err != nil {
		t.Fatal(err)
	}
	return binary.LittleEndian.Uint32(b[:])
}

func writeU32At(t *testing.T, path string, off int64, v uint32) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	if _, err := f.WriteAt(b[:], off); err != nil {
		t.Fatal(err)
	}
}
