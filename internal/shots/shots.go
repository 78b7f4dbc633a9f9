// Package shots says where the browser tests keep their screenshots, one
// folder for every package (the digest's and the report page's alike):
// $EARSHOT_ARTIFACTS/screenshots when that is set, else
// artifacts/screenshots at the repository root (gitignored). CI keeps the
// folder as an artefact (docs/testing.md#screenshots).
package shots

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Env names the variable that moves the folder.
const Env = "EARSHOT_ARTIFACTS"

// Dir creates and returns the screenshot folder.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := dir(os.Getenv(Env))
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		t.Fatalf("screenshot folder: %v", err)
	}
	return dir
}

// dir is env/screenshots, or artifacts/screenshots under the module root
// (the first folder up from the working directory holding go.mod).
func dir(env string) (string, error) {
	if env != "" {
		return filepath.Join(env, "screenshots"), nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "artifacts", "screenshots"), nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no go.mod above " + wd)
		}
	}
}
