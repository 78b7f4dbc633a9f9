package listenertest

import (
	"io/fs"
	"testing"
	"testing/fstest"
)

// ReadFile returns the file name of fsys (a fake's Recordings()), failing
// the test when it cannot be read.
func ReadFile(t testing.TB, fsys fs.FS, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatalf("recording %s: %v", name, err)
	}
	return b
}

// Copy returns every file of fsys in a map at the same paths, for a test
// to change before passing it as a fake's Options.FS.
func Copy(t testing.TB, fsys fs.FS) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		m[p] = &fstest.MapFile{Data: b}
		return nil
	})
	if err != nil {
		t.Fatalf("copy recordings: %v", err)
	}
	return m
}
