package daum

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/listener/daum/daumfake"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/listenertest"
)

// now is 2026-11-26 19:00 KST, just after the recordings' newest document.
var now = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

var kst = time.FixedZone("KST", 9*60*60)

func clock() time.Time { return now }

func fetcher() *httpx.Fetcher {
	return httpx.New(httpx.Options{PerHostInterval: -1, Clock: clock})
}

// recordings is a copy of the fake's recordings, for a test to change.
func recordings(t testing.TB) fstest.MapFS {
	t.Helper()
	return listenertest.Copy(t, daumfake.Recordings())
}

// fake starts the fake API mounted under /daum, as the demo does, and
// returns its base URL.
func fake(t *testing.T, fsys fstest.MapFS, opts daumfake.Options) (string, *listenertest.Recorder) {
	t.Helper()
	if fsys != nil {
		opts.FS = fsys
	}
	opts.Logger = zerolog.Nop()
	if opts.APIKey == "" {
		opts.APIKey = "key"
	}
	rc := &listenertest.Recorder{Next: http.StripPrefix("/daum", daumfake.New(opts))}
	mux := http.NewServeMux()
	mux.Handle("/daum/", rc)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/daum", rc
}

func config(base string, queries ...string) Config {
	return Config{BaseURL: base, Queries: queries, APIKey: "key", Lookback: 15 * 24 * time.Hour}
}

// budget is an in-memory budget of limit calls.
func budget(limit int) *listenertest.Budget {
	return &listenertest.Budget{Limit: limit, Resets: now.Add(14 * time.Hour)}
}
