package naver

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
	"time"

	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/naver/naverfake"
	"github.com/rs/zerolog"
)

var now = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

func fetcher() *httpx.Fetcher {
	return httpx.New(httpx.Options{PerHostInterval: -1, Clock: clock})
}

// recordings is a copy of the fake's recordings, for a test to change.
func recordings(t testing.TB) fstest.MapFS {
	t.Helper()
	return listenertest.Copy(t, naverfake.Recordings())
}

// fake starts the fake API mounted under /naver, as the demo does, and
// returns its base URL.
func fake(t *testing.T, fsys fstest.MapFS, opts naverfake.Options) (string, *listenertest.Recorder) {
	t.Helper()
	if fsys != nil {
		opts.FS = fsys
	}
	opts.Logger = zerolog.Nop()
	if opts.ClientID == "" {
		opts.ClientID, opts.ClientSecret = "id", "secret"
	}
	rc := &listenertest.Recorder{Next: http.StripPrefix("/naver", naverfake.New(opts))}
	mux := http.NewServeMux()
	mux.Handle("/naver/", rc)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/naver", rc
}

func config(base string, queries ...string) Config {
	return Config{BaseURL: base, Queries: queries, ClientID: "id", ClientSecret: "secret", Lookback: 15 * 24 * time.Hour}
}

// budget is an in-memory budget of limit calls.
func budget(limit int) *listenertest.Budget {
	return &listenertest.Budget{Limit: limit, Resets: now.Add(14 * time.Hour)}
}
