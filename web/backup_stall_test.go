package web

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

// smallBufListener gives every accepted connection a tiny send buffer, so a
// client that stops reading stalls the server's writes within a few KiB.
type smallBufListener struct{ net.Listener }

func (l smallBufListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4096)
	}
	return c, err
}

func bulkMentions(from, n, textBytes int) []store.Mention {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	body := strings.Repeat("acme battery charger ", textBytes/21+1)
	ms := make([]store.Mention, n)
	for i := range ms {
		ms[i] = store.Mention{ID: fmt.Sprintf("hackernews:%d", from+i), Network: "hackernews", Kind: store.KindMention,
			Text: fmt.Sprintf("%s %d", body, from+i), Brands: []string{"Acme"}, Published: at.Add(time.Duration(i) * time.Second)}
	}
	return ms
}

// TestStalledBackupDoesNotBlockCommits opens /api/backup with a client that
// reads the headers and then nothing, and checks that a commit large enough
// to grow the database file (which needs every bbolt read transaction to
// end) and a stats request both complete while that client stays connected.
func TestStalledBackupDoesNotBlockCommits(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop(), LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Commit("hn", bulkMentions(0, 200, 2000), nil); err != nil {
		t.Fatal(err)
	}
	s := New(Options{Searcher: st, Stats: st, Backuper: st, Logger: zerolog.Nop()})
	srv := httptest.NewUnstartedServer(s)
	srv.Listener = smallBufListener{srv.Listener}
	srv.Start()
	defer srv.Close()

	conn, res := stalledBackup(t, srv)
	defer conn.Close() // before srv.Close, which waits for connections
	// The client now reads nothing more; give the server time to fill the
	// socket buffers and block in Write.
	time.Sleep(300 * time.Millisecond)

	done := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := st.Commit("hn", bulkMentions(1000, 800, 2000), nil) // several MB: the file must grow
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("a commit of 800 mentions (~1.6 MB) took %v beside the stalled download", time.Since(start).Round(time.Millisecond))
	case <-time.After(15 * time.Second):
		t.Fatal("a commit waited on the stalled backup download")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/stats", nil)
	sres, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("stats during a stalled backup: %v", err)
	}
	sres.Body.Close()
	if sres.StatusCode != http.StatusOK {
		t.Fatalf("stats during a stalled backup: %d", sres.StatusCode)
	}
	// The stalled client is still connected: its download did not finish.
	_ = conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if _, err := res.Body.Read(make([]byte, 1)); err != nil && !isTimeout(err) {
		t.Fatalf("the stalled download ended early: %v", err)
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// stalledBackup starts GET /api/backup on srv with a tiny receive buffer,
// reads the headers and returns without reading the body.
func stalledBackup(t *testing.T, srv *httptest.Server) (net.Conn, *http.Response) {
	t.Helper()
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		if err != nil {
			return err
		}
		return serr
	}}
	conn, err := d.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "GET /api/backup HTTP/1.1\r\nHost: %s\r\n\r\n", srv.Listener.Addr())
	res, err := http.ReadResponse(bufio.NewReaderSize(conn, 512), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("backup: status %d", res.StatusCode)
	}
	return conn, res
}

// A client that stops reading is dropped once a write has waited the stall
// timeout: its download ends short (a transfer error), not hanging for the
// whole download limit.
func TestStalledBackupClientDropped(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop(), LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Commit("hn", bulkMentions(0, 200, 2000), nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(backupHandler{b: st, log: zerolog.Nop(), stall: 200 * time.Millisecond, max: time.Hour})
	srv.Listener = smallBufListener{srv.Listener}
	srv.Start()
	defer srv.Close()
	conn, res := stalledBackup(t, srv)
	time.Sleep(time.Second) // well past the stall timeout
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := io.Copy(io.Discard, res.Body)
	if err == nil || isTimeout(err) || n >= res.ContentLength {
		t.Fatalf("stalled client: read %d of %d bytes, err %v; want the connection dropped", n, res.ContentLength, err)
	}
}
