package fstest

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// MountSmall mounts a tmpfs of size (as mount's size= option, e.g. "40m")
// on a new directory and unmounts it when the test ends. Mounting needs
// root: without it the test is skipped on a developer's machine but fails
// under CI=true, where it must run.
func MountSmall(t testing.TB, size string) string {
	t.Helper()
	dir := t.TempDir()
	fail := t.Skipf
	if os.Getenv("CI") == "true" {
		fail = t.Fatalf
	}
	if os.Geteuid() != 0 {
		fail("mounting a small filesystem needs root (CI runs this test as root)")
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		fail("mount tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// FillLeaving writes zeros to path until at most leave bytes stay free on
// its filesystem; running out of space while writing is not an error.
// Tests leave bleve some room below the store's reserve: a merge that
// fails for lack of space leaves scorch with a closed segment that a later
// merge panics on (in bleve's own goroutine, where no recover reaches).
// The reserve exists so that never happens; a test that takes the disk to
// zero bytes tests bleve, not Earshot (docs/operations.md).
func FillLeaving(t testing.TB, path string, leave int64) {
	t.Helper()
	var fs syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(path), &fs); err != nil {
		t.Fatalf("statfs: %v", err)
	}
	free := int64(fs.Bavail) * int64(fs.Bsize)
	if free <= leave {
		return
	}
	if err := os.WriteFile(path, make([]byte, free-leave), 0o600); err != nil && !noSpace(err) {
		t.Fatalf("fill: %v", err)
	}
}

func noSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}
