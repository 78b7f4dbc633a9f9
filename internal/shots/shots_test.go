package shots

import (
	"os"
	"path/filepath"
	"testing"
)

// The web and digest packages' tests run in their own folders and must
// land in the same one: the module root's artifacts/screenshots, or
// $EARSHOT_ARTIFACTS/screenshots.
func TestDirIsOneFolderForEveryPackage(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	got, err := dir("")
	if want := filepath.Join(root, "artifacts", "screenshots"); err != nil || got != want {
		t.Errorf("dir() = %q, %v; want %q", got, err, want)
	}
	t.Chdir(filepath.Join(root, "web"))
	if again, err := dir(""); err != nil || again != got {
		t.Errorf("from web/: %q, %v; want %q", again, err, got)
	}
	env := t.TempDir()
	t.Setenv(Env, env)
	if d := Dir(t); d != filepath.Join(env, "screenshots") {
		t.Errorf("with %s set: %q", Env, d)
	} else if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
		t.Errorf("%s not created: %v", d, err)
	}
	t.Chdir(t.TempDir())
	if d, err := dir(""); err == nil {
		t.Errorf("outside a module: %q, want an error", d)
	}
}
