package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
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

func runCmd(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := realMain(args, &out, &errb); code != 0 {
		t.Fatalf("earshot %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
	}
	return out.String()
}

func TestBackupCompactRestoreCommands(t *testing.T) {
	data := t.TempDir()
	fillStore(t, data, 400)
	cfg := maintConfig(t, data, deadAddr(t), "")
	out := filepath.Join(t.TempDir(), "b.db")
	if got := runCmd(t, "backup", "-config", cfg, "-out", out); !strings.Contains(got, "no daemon running") || !strings.Contains(got, "100 mentions") {
		t.Fatalf("backup said %q", got)
	}
	if got := runCmd(t, "compact", "-config", cfg); !strings.Contains(got, "smaller") {
		t.Fatalf("compact said %q", got)
	}
	data2 := t.TempDir()
	fillStore(t, data2, 10)
	cfg2 := maintConfig(t, data2, deadAddr(t), "")
	got := runCmd(t, "restore", "-config", cfg2, "-from", out)
	if !strings.Contains(got, "100 mentions") || !strings.Contains(got, "before-restore-") {
		t.Fatalf("restore said %q", got)
	}
	st, err := store.Open(data2, store.Options{Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := st.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := st.Search(ctx, store.SearchRequest{Page: 1})
	if err != nil || res.Total != 100 {
		t.Fatalf("search after restore: %v, %v", res, err)
	}
	// Restore and compact refuse a data dir in use.
	var errb bytes.Buffer
	if code := realMain([]string{"restore", "-config", cfg2, "-from", out}, &bytes.Buffer{}, &errb); code == 0 || !strings.Contains(errb.String(), "in use") {
		t.Fatalf("restore into a running store: exit %d, %s", code, errb.String())
	}
	if code := realMain([]string{"backup", "-config", cfg2}, &bytes.Buffer{}, &bytes.Buffer{}); code != 2 {
		t.Fatalf("backup without -out: exit %d", code)
	}
}

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
		if r.URL.Path != "/api/backup" || r.Header.Get("Authorization") != "Bearer s3cret" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	t.Setenv("EARSHOT_TEST_TOKEN", "s3cret")
	// The daemon's data dir is locked: the backup must come from the API.
	cfg := maintConfig(t, t.TempDir(), strings.TrimPrefix(srv.URL, "http://"), `api_token_env = "EARSHOT_TEST_TOKEN"`)
	out := filepath.Join(t.TempDir(), "hot.db")
	if got := runCmd(t, "backup", "-config", cfg, "-out", out); !strings.Contains(got, "running daemon") || !strings.Contains(got, "1 mentions") {
		t.Fatalf("backup said %q", got)
	}
	if info, err := store.VerifyBackup(out); err != nil || info.Mentions != 1 {
		t.Fatalf("hot backup: %+v %v", info, err)
	}
	t.Setenv("EARSHOT_TEST_TOKEN", "wrong")
	var errb bytes.Buffer
	if code := realMain([]string{"backup", "-config", cfg, "-out", out + "2"}, &bytes.Buffer{}, &errb); code == 0 || !strings.Contains(errb.String(), "API token") {
		t.Fatalf("backup with a wrong token: exit %d, %s", code, errb.String())
	}
	if _, err := os.Stat(out + "2.part"); !os.IsNotExist(err) {
		t.Fatalf("partial file left: %v", err)
	}
}

type fakePruner struct {
	mu   sync.Mutex
	cuts []time.Time
}

func (f *fakePruner) Prune(_ context.Context, before time.Time) (store.PruneResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cuts = append(f.cuts, before)
	return store.PruneResult{}, nil
}

func (f *fakePruner) calls() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.cuts...)
}

func TestRetentionLoop(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	cfg := &config.Config{Earshot: config.Earshot{Retention: config.Duration(400 * 24 * time.Hour)}}
	p := &fakePruner{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		retentionLoop(ctx, p, func() *config.Config { return cfg }, zerolog.Nop(), clock, time.Millisecond, time.Millisecond)
		close(done)
	}()
	for len(p.calls()) < 2 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	if c := p.calls()[0]; !c.Equal(now.Add(-400 * 24 * time.Hour)) {
		t.Fatalf("cut-off %s", c)
	}
	// Without retention nothing is pruned; a cancelled daemon stops the loop.
	q := &fakePruner{}
	pruneOnce(context.Background(), q, &config.Config{}, zerolog.Nop(), clock)
	runRetention(ctx, q, func() *config.Config { return cfg }, zerolog.Nop(), clock)
	if len(q.calls()) != 0 {
		t.Fatalf("pruned without retention: %v", q.calls())
	}
}
