package daemon_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/daemon"
	"github.com/earshot/earshot/internal/freeport"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
)

// maintConfig writes a config for dataDir whose API address is listen.
func maintConfig(t *testing.T, dataDir, listen, extra string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "earshot.toml")
	doc := fmt.Sprintf("[earshot]\ndata_dir = %q\nlisten = %q\n%s\n[[brand]]\nname = \"Acme\"\nown = true\n", dataDir, listen, extra)
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// deadAddr is a loopback address nothing listens on.
func deadAddr(t *testing.T) string {
	t.Helper()
	ps, err := freeport.Loopback(1) // below the ephemeral range: no other test's server takes it
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("127.0.0.1:%d", ps[0])
}

func fillStore(t *testing.T, dir string, n int) {
	t.Helper()
	st, err := store.Open(dir, store.Options{Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	ms := make([]store.Mention, 0, n)
	for i := 0; i < n; i++ {
		ms = append(ms, store.Mention{ID: fmt.Sprintf("rss:%d", i), Network: "rss", Kind: store.KindMention,
			Text: fmt.Sprintf("acme restorable post %d %s", i, strings.Repeat("filler ", 100)), Brands: []string{"Acme"},
			Published: time.Date(2025, 1, 1, 0, i, 0, 0, time.UTC)})
	}
	if _, err := st.Commit("rss", ms, []byte("cur")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Prune(context.Background(), ms[n*3/4].Published); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}

// printed runs f and returns what it printed; an error fails the test.
func printed(t *testing.T, f func(w io.Writer) error) string {
	t.Helper()
	var out bytes.Buffer
	if err := f(&out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	return out.String()
}

func loadFile(t *testing.T, path string) *config.Config {
	t.Helper()
	cfg, err := config.Load(path, os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestBackupCompactRestoreCommands(t *testing.T) {
	data := t.TempDir()
	fillStore(t, data, 400)
	cfg := loadFile(t, maintConfig(t, data, deadAddr(t), ""))
	out := filepath.Join(t.TempDir(), "b.db")
	ctx := context.Background()
	log := zerolog.Nop()
	if got := printed(t, func(w io.Writer) error { return daemon.Backup(ctx, cfg, out, log, w) }); !strings.Contains(got, "no daemon running") || !strings.Contains(got, "100 mentions") {
		t.Fatalf("backup said %q", got)
	}
	if got := printed(t, func(w io.Writer) error { return daemon.Compact(ctx, data, false, log, w) }); !strings.Contains(got, "smaller") {
		t.Fatalf("compact said %q", got)
	}
	data2 := t.TempDir()
	fillStore(t, data2, 10)
	got := printed(t, func(w io.Writer) error { return daemon.Restore(data2, out, log, w) })
	if !strings.Contains(got, "100 mentions") || !strings.Contains(got, "before-restore-") {
		t.Fatalf("restore said %q", got)
	}
	st, err := store.Open(data2, store.Options{Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := st.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := st.Search(ctx, store.SearchRequest{Page: 1})
	if err != nil || res.Total != 100 {
		t.Fatalf("search after restore: %v, %v", res, err)
	}
	// Restore and compact refuse a data dir in use.
	if err := daemon.Restore(data2, out, log, io.Discard); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("restore into a running store: %v", err)
	}
	if err := daemon.Compact(ctx, data2, false, log, io.Discard); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("compact of a running store: %v", err)
	}
}

// testAPIToken is strong enough for config.CheckToken (32 random bytes, base64).
const testAPIToken = "q3Zr9Xk2LmP0vB7sT4wY1nH6cJ8dF5gA2eR9uK0iO3M"

func TestBackupThroughRunningDaemon(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Commit("rss", []store.Mention{{ID: "rss:1", Network: "rss", Text: "acme", Brands: []string{"Acme"},
		Published: time.Now()}}, nil); err != nil {
		t.Fatal(err)
	}
	h := web.BackupHandler(st, zerolog.Nop(), nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/backup" || r.Header.Get("Authorization") != "Bearer "+testAPIToken {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	t.Setenv("EARSHOT_TEST_TOKEN", testAPIToken)
	// The daemon's data dir is locked: the backup must come from the API.
	cfgPath := maintConfig(t, t.TempDir(), strings.TrimPrefix(srv.URL, "http://"), `api_token_env = "EARSHOT_TEST_TOKEN"`)
	cfg := loadFile(t, cfgPath)
	out := filepath.Join(t.TempDir(), "hot.db")
	ctx := context.Background()
	if got := printed(t, func(w io.Writer) error { return daemon.Backup(ctx, cfg, out, zerolog.Nop(), w) }); !strings.Contains(got, "running daemon") || !strings.Contains(got, "1 mentions") {
		t.Fatalf("backup said %q", got)
	}
	if info, err := store.VerifyBackup(out); err != nil || info.Mentions != 1 {
		t.Fatalf("hot backup: %+v %v", info, err)
	}
	t.Setenv("EARSHOT_TEST_TOKEN", "W"+testAPIToken[1:]) // strong, but not the one
	cfg = loadFile(t, cfgPath)
	if err := daemon.Backup(ctx, cfg, out+"2", zerolog.Nop(), io.Discard); err == nil || !strings.Contains(err.Error(), "API token") {
		t.Fatalf("backup with a wrong token: %v", err)
	}
	if _, err := os.Stat(out + "2.part"); !os.IsNotExist(err) {
		t.Fatalf("partial file left: %v", err)
	}
}
