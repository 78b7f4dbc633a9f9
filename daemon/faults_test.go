package daemon_test

import (
	"bytes"
	"crypto/sha256"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// faultRig is a data dir, a config and growing fake streams for the
// daemon-level fault tests.
type faultRig struct {
	t       *testing.T
	dir     string
	dataDir string
	cfg     string
	streams []*hnStream
	prev    *dbState
}

func newFaultRig(t *testing.T, sources int) *faultRig {
	t.Helper()
	if testing.Short() {
		t.Skip("spawns daemon processes")
	}
	base := time.Now().Add(-60 * time.Hour).Truncate(time.Second)
	r := &faultRig{t: t, dir: t.TempDir(), prev: &dbState{ids: map[string]dbMention{}, cursors: map[string][]byte{}}}
	for i := 0; i < sources; i++ {
		s := newHNStream(i, int64(i+1), base)
		t.Cleanup(s.close)
		r.streams = append(r.streams, s)
	}
	r.dataDir = filepath.Join(r.dir, "data")
	r.cfg = writeConfig(t, r.dir, r.dataDir, r.streams)
	return r
}

// round runs the daemon until its first round of fetches is done and its
// index caught up, stops it with SIGTERM and checks the store. It returns
// the stopped child.
func (r *faultRig) round(opts childOpts) *child {
	r.t.Helper()
	c := startChild(r.t, opts, "run", "-config", r.cfg)
	api := c.waitAPI(60 * time.Second)
	if !c.waitFor(60*time.Second, func(l []string) bool { return rounds(l) >= len(r.streams) }) {
		r.t.Fatalf("first round not done within 60 s; log:\n%s", tail(c.log(), 40))
	}
	waitSearchTotal(r.t, c, api, "quokka", func(n int) bool { return n == r.storedNow(c) }, 60*time.Second)
	c.stop(60 * time.Second)
	r.check(c)
	return c
}

// storedNow is what the store must hold at the end of c's round: the
// previous contents plus everything c acknowledged.
func (r *faultRig) storedNow(c *child) int {
	n := len(r.prev.ids)
	for _, a := range lifeAcks(r.t, c.snapshotLines()) {
		n += a
	}
	return n
}

// check reads the store after c ended and compares it with the fakes and
// with the store before c.
func (r *faultRig) check(c *child) *dbState {
	r.t.Helper()
	assertNoPanic(r.t, c.log())
	st, err := readDB(r.dataDir)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := checkLife(r.prev, st, lifeAcks(r.t, c.snapshotLines())); err != nil {
		r.t.Fatal(err)
	}
	if err := checkAgainstStreams(st, r.streams); err != nil {
		r.t.Fatal(err)
	}
	r.prev = st
	return st
}

// finish freezes the streams, runs a clean round and requires everything
// ever served to be stored once and indexed.
func (r *faultRig) finish() {
	r.t.Helper()
	for _, s := range r.streams {
		s.freeze()
	}
	r.round(childOpts{})
	if want := countExpected(r.streams); len(r.prev.ids) != want {
		r.t.Fatalf("after the clean run %d mentions stored, %d matching items were served", len(r.prev.ids), want)
	}
	checkIndexEqualsDB(r.t, r.dataDir, r.prev)
}

func TestDaemonSecondInstanceFailsFast(t *testing.T) {
	r := newFaultRig(t, 2)
	first := startChild(t, childOpts{}, "run", "-config", r.cfg)
	api := first.waitAPI(60 * time.Second)

	second := startChild(t, childOpts{}, "run", "-config", r.cfg)
	if !second.wait(15 * time.Second) {
		t.Fatalf("second daemon on the same data_dir did not exit within 15 s (lock wait is 2 s); log:\n%s", tail(second.log(), 20))
	}
	log := second.log()
	if second.exitCode() != 1 {
		t.Fatalf("second daemon exited %d, want 1; log:\n%s", second.exitCode(), log)
	}
	for _, want := range []string{"data dir " + r.dataDir, "in use by another earshot process"} {
		if !strings.Contains(log, want) {
			t.Fatalf("second daemon's error lacks %q:\n%s", want, log)
		}
	}
	assertNoPanic(t, log)

	// The first one is unharmed.
	resp, err := http.Get(api + "/healthz")
	if err != nil {
		t.Fatalf("first daemon after the second's attempt: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("first daemon /healthz: %d", resp.StatusCode)
	}
	first.stop(60 * time.Second)
	r.check(first)
}

// TestDaemonRebuildsIndex damages the bleve index of a stopped daemon in
// several ways; the next start must rebuild it from bbolt (logged), serve
// searches over every mention, and leave bbolt untouched.
func TestDaemonRebuildsIndex(t *testing.T) {
	r := newFaultRig(t, 3)
	r.round(childOpts{})
	for _, s := range r.streams {
		s.freeze()
	}
	r.round(childOpts{}) // fetches what the frozen streams still hold
	n := len(r.prev.ids)
	if n == 0 {
		t.Fatal("nothing stored in the first round")
	}
	// The newest weekly partition of the search index (store: index/YYYY-Www.bleve).
	parts, _ := filepath.Glob(filepath.Join(r.dataDir, "index", "*.bleve"))
	if len(parts) == 0 {
		t.Fatal("no search index partition")
	}
	idx := parts[len(parts)-1]
	damages := []struct {
		name, logs string
		damage     func() error
	}{
		{"missing", "search index missing", func() error { return os.RemoveAll(idx) }},
		{"garbage files", "search index unreadable", func() error {
			if err := os.RemoveAll(idx); err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Join(idx, "store"), 0o700); err != nil {
				return err
			}
			junk := bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef, '{', 0}, 4096)
			for _, f := range []string{"index_meta.json", "store/root.bolt", "store/000000000001.zap"} {
				if err := os.WriteFile(filepath.Join(idx, f), junk, 0o600); err != nil {
					return err
				}
			}
			return nil
		}},
		{"a file in its place", "search index unreadable", func() error {
			if err := os.RemoveAll(idx); err != nil {
				return err
			}
			return os.WriteFile(idx, []byte("not an index"), 0o600)
		}},
		{"truncated segments", "rebuilding from the database", func() error {
			return filepath.WalkDir(idx, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || !strings.HasSuffix(p, ".zap") {
					return err
				}
				fi, err := d.Info()
				if err != nil {
					return err
				}
				return os.Truncate(p, fi.Size()/2)
			})
		}},
		{"scribbled segments", "rebuilding from the database", func() error {
			return filepath.WalkDir(idx, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || !strings.HasSuffix(p, ".zap") {
					return err
				}
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				for i := len(b) / 4; i < len(b)*3/4; i += 7 {
					b[i] ^= 0x5a
				}
				return os.WriteFile(p, b, 0o600)
			})
		}},
		{"empty meta", "search index unreadable", func() error {
			return os.WriteFile(filepath.Join(idx, "index_meta.json"), nil, 0o600)
		}},
	}
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			r.t = t
			if err := d.damage(); err != nil {
				t.Fatal(err)
			}
			c := startChild(t, childOpts{}, "run", "-config", r.cfg)
			api := c.waitAPI(60 * time.Second)
			waitSearchTotal(t, c, api, "quokka", func(got int) bool { return got == n }, 60*time.Second)
			waitSearchTotal(t, c, api, "", func(got int) bool { return got == n }, 10*time.Second)
			if !strings.Contains(c.log(), d.logs) {
				t.Errorf("log does not say %q:\n%s", d.logs, tail(c.log(), 20))
			}
			t.Logf("%s", firstLine(c.log(), "rebuilding from the database"))
			c.stop(60 * time.Second)
			st := r.check(c)
			if len(st.ids) != n {
				t.Fatalf("bbolt holds %d mentions, had %d", len(st.ids), n)
			}
			checkIndexEqualsDB(t, r.dataDir, st)
		})
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestDaemonDiskFull runs the daemon with the file size limit (RLIMIT_FSIZE)
// below what it needs, which fails writes like a full disk does (EFBIG
// instead of ENOSPC). The daemon must say so clearly, keep running or exit
// cleanly, never panic, and leave a store that opens with nothing
// acknowledged lost; after the limit goes, ingest resumes without gaps.
func TestDaemonDiskFull(t *testing.T) {
	r := newFaultRig(t, 4)
	r.round(childOpts{})
	db := filepath.Join(r.dataDir, "earshot.db")
	fi, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		limit        int64
		rebuildIndex bool // delete the index first: the rebuild must write it
	}{{fi.Size() / 2, false}, {64 << 10, false}, {256 << 10, true}}
	for _, tc := range cases {
		limit := tc.limit
		t.Logf("file size limit %d bytes (earshot.db is %d), index rebuild %v", limit, fi.Size(), tc.rebuildIndex)
		if tc.rebuildIndex {
			if err := os.RemoveAll(filepath.Join(r.dataDir, "index")); err != nil {
				t.Fatal(err)
			}
		}
		c := startChild(t, childOpts{fsizeLimit: limit}, "run", "-config", r.cfg)
		done := c.waitFor(60*time.Second, func(l []string) bool { return rounds(l) >= len(r.streams) })
		log := c.log()
		if !done && c.exitCode() < 0 {
			t.Fatalf("limit %d: first round not done within 60 s; log:\n%s", limit, tail(log, 40))
		}
		if c.exitCode() < 0 {
			// Still running: it must have reported the failed writes, and
			// stop cleanly (with an error status if the index could not be
			// closed) within a bounded time.
			c.waitFor(5*time.Second, func(l []string) bool { return strings.Contains(strings.Join(l, "\n"), "file too large") })
			_ = c.cmd.Process.Signal(syscall.SIGTERM)
			if !c.wait(30 * time.Second) {
				t.Fatalf("limit %d: daemon did not stop within 30 s of SIGTERM with a full disk; log:\n%s", limit, tail(c.log(), 40))
			}
		}
		log = c.log()
		if !strings.Contains(log, "file too large") {
			t.Fatalf("limit %d: no clear disk error in the log (exit %d):\n%s", limit, c.exitCode(), tail(log, 40))
		}
		if c.exitCode() != 0 && !strings.Contains(log, "earshot run: ") {
			t.Fatalf("limit %d: exited %d without saying why:\n%s", limit, c.exitCode(), tail(log, 40))
		}
		t.Logf("limit %d: exit %d, %d commits failed, %d indexer errors; first error: %s", limit, c.exitCode(),
			count(c.snapshotLines(), "listener: fetch failed"), count(c.snapshotLines(), "indexer failed"), firstLine(log, "file too large"))
		r.check(c)
	}
	r.finish()
}

func firstLine(log, s string) string {
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// TestDaemonReadOnlyDataDir runs the daemon as a user that cannot write the
// data dir: it must fail at once with an error naming the data dir, and the
// store must be unchanged.
func TestDaemonReadOnlyDataDir(t *testing.T) {
	r := newFaultRig(t, 2)
	r.round(childOpts{})
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		// root ignores permission bits: run the child as nobody.
		cred = &syscall.Credential{Uid: 65534, Gid: 65534}
		for p := r.dir; p != "/" && p != "."; p = filepath.Dir(p) {
			if p == os.TempDir() {
				break
			}
			if err := os.Chmod(p, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	db := filepath.Join(r.dataDir, "earshot.db")
	cases := []struct {
		name   string
		setup  func() error
		undo   func() error
		expect string
	}{
		{"data dir not writable", func() error { return chmodAll(r.dataDir, 0o555, 0o444) },
			func() error { return chmodAll(r.dataDir, 0o750, 0o600) }, r.dataDir},
		{"data dir not readable", func() error { return os.Chmod(r.dataDir, 0o000) },
			func() error { return os.Chmod(r.dataDir, 0o750) }, r.dataDir},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sum := fileSum(t, db)
			if err := tc.setup(); err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := tc.undo(); err != nil {
					t.Fatal(err)
				}
			}()
			if cred == nil && os.Geteuid() != 0 {
				if f, err := os.OpenFile(db, os.O_RDWR, 0); err == nil {
					f.Close()
					t.Skip("this user can write the data dir despite its mode")
				}
			}
			c := startChild(t, childOpts{cred: cred}, "run", "-config", r.cfg)
			if !c.wait(15 * time.Second) {
				t.Fatalf("daemon on a read-only data dir did not exit within 15 s; log:\n%s", tail(c.log(), 20))
			}
			log := c.log()
			assertNoPanic(t, log)
			if c.exitCode() != 1 {
				t.Fatalf("exit %d, want 1; log:\n%s", c.exitCode(), log)
			}
			for _, want := range []string{"earshot run: ", tc.expect, "permission denied"} {
				if !strings.Contains(log, want) {
					t.Fatalf("error lacks %q:\n%s", want, log)
				}
			}
			t.Logf("%s: %s", tc.name, firstLine(log, "earshot run: "))
			if err := tc.undo(); err != nil {
				t.Fatal(err)
			}
			if fileSum(t, db) != sum {
				t.Fatal("earshot.db changed")
			}
		})
	}
	st, err := readDB(r.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.ids) != len(r.prev.ids) {
		t.Fatalf("%d mentions after the read-only runs, %d before", len(st.ids), len(r.prev.ids))
	}
}

// chmodAll sets dir's mode and the mode of every file under it.
func chmodAll(dir string, dirMode, fileMode os.FileMode) error {
	var dirs []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, p)
			return nil
		}
		return os.Chmod(p, fileMode)
	})
	if err != nil {
		return err
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		if err := os.Chmod(dirs[i], dirMode); err != nil {
			return err
		}
	}
	return nil
}
