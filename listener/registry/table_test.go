package registry

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener/youtube"
)

// moduleRoot is the repository root, from this package's directory.
const moduleRoot = "../.."

// Every row of the networks table has a constructor here, and every
// constructor a row: the table and the builders cannot drift apart.
func TestEveryNetworkHasBuilder(t *testing.T) {
	names := config.NetworkNames()
	if len(names) == 0 {
		t.Fatal("the networks table is empty")
	}
	for _, n := range names {
		if builders[n] == nil {
			t.Errorf("network %q of the networks table has no builder in listener/registry", n)
		}
	}
	for n := range builders {
		if !slices.Contains(names, n) {
			t.Errorf("builder %q has no row in the networks table (config/networks.go)", n)
		}
	}
	if got := Networks(); !slices.Equal(got, names) {
		t.Errorf("Networks() = %v, want the table's %v", got, names)
	}
}

// Every row of the networks table names a fake server package that exists
// and exports New, and every fake package under listener/ is named by a
// row (tests and the demo replay each network through it).
func TestEveryNetworkHasFake(t *testing.T) {
	named := map[string]bool{}
	for _, n := range config.Networks() {
		if n.Fake == "" {
			t.Errorf("network %q has no fake in the networks table", n.Name)
			continue
		}
		named[filepath.Clean(n.Fake)] = true
		if !exportsNew(t, filepath.Join(moduleRoot, n.Fake)) {
			t.Errorf("network %q: fake package %s has no exported func New", n.Name, n.Fake)
		}
	}
	err := filepath.WalkDir(filepath.Join(moduleRoot, "listener"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || !strings.HasSuffix(d.Name(), "fake") || d.Name() == "fake" {
			return err
		}
		rel, err := filepath.Rel(moduleRoot, path)
		if err != nil {
			return err
		}
		if !named[filepath.ToSlash(rel)] {
			t.Errorf("fake package %s is not the fake of any network in the networks table", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// exportsNew reports whether the Go package in dir (test files aside)
// declares a top-level func New.
func exportsNew(t *testing.T, dir string) bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Errorf("fake package: %v", err)
		return false
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Errorf("fake package: %v", err)
			return false
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "New" {
				return true
			}
		}
	}
	return false
}

// A budget's day is the table's zone: a zone that does not load would fail
// every source of the network, and YouTube's must be the one its package
// computes quota resets in.
func TestBudgetZonesLoad(t *testing.T) {
	for _, n := range config.Networks() {
		if n.Budget == nil || n.Budget.Zone == "" {
			continue
		}
		if _, err := time.LoadLocation(n.Budget.Zone); err != nil {
			t.Errorf("network %q budget zone: %v", n.Name, err)
		}
	}
	if yt, _ := config.LookupNetwork(config.NetworkYouTube); yt.Budget == nil || yt.Budget.Zone != youtube.QuotaZone {
		t.Errorf("youtube budget %+v, want its day in %s", yt.Budget, youtube.QuotaZone)
	}
}
