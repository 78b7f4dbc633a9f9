package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

func TestBackupHandlerStreamsAVerifiableSnapshot(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	_, err = st.Commit("hn", []store.Mention{{ID: "hackernews:1", Network: "hackernews", Text: "acme", Kind: store.KindMention,
		Brands: []string{"Acme"}, Published: now}}, []byte("c1"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(BackupHandler(st, zerolog.Nop(), func() time.Time { return now }))
	defer srv.Close()
	res, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/octet-stream" ||
		res.Header.Get("Content-Disposition") != `attachment; filename="earshot-20260102T030405Z.db"` {
		t.Fatalf("status %d, headers %v", res.StatusCode, res.Header)
	}
	path := filepath.Join(t.TempDir(), "b.db")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := store.VerifyBackup(path)
	if err != nil || info.Mentions != 1 {
		t.Fatalf("downloaded backup: %+v, %v", info, err)
	}
}

// failingBackuper's snapshot breaks after 4 KiB of the 64 KiB it announces.
type failingBackuper struct{}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n >= 4096 {
		return 0, errors.New("disk on fire")
	}
	k := min(len(p), 4096-f.n)
	copy(p, bytes.Repeat([]byte{1}, k))
	f.n += k
	return k, nil
}

func (failingBackuper) Snapshot(context.Context) (*store.Snapshot, error) {
	return &store.Snapshot{ReadCloser: io.NopCloser(&failingReader{}), Size: 64 << 10}, nil
}

func TestBackupHandlerAbortsOnFailure(t *testing.T) {
	srv := httptest.NewServer(BackupHandler(failingBackuper{}, zerolog.Nop(), nil))
	defer srv.Close()
	res, err := http.Get(srv.URL)
	if err != nil {
		return // the connection was dropped before the headers: fine too
	}
	defer res.Body.Close()
	if _, err := io.ReadAll(res.Body); err == nil {
		t.Fatal("a failed backup read as a complete download")
	}
}
