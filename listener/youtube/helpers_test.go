package youtube

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/youtube/youtubefake"
)

// now is 04:00 in Los Angeles: the quota day resets 20h later.
var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

const key = "AIzaSyTestKey-0123456789"

func clock() time.Time { return now }

func fetcher() *httpx.Fetcher {
	return httpx.New(httpx.Options{PerHostInterval: -1, Clock: clock})
}

// serve mounts h under /yt, like the demo mounts the fake under a prefix,
// and returns the base URL and the recorder.
func serve(t *testing.T, h http.Handler) (string, *listenertest.Recorder) {
	t.Helper()
	rc := &listenertest.Recorder{Next: h}
	mux := http.NewServeMux()
	mux.Handle("/yt/", http.StripPrefix("/yt", rc))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/yt", rc
}

func fake(opts youtubefake.Options) http.Handler {
	if opts.APIKey == "" {
		opts.APIKey = key
	}
	return youtubefake.New(opts)
}

var accounts = []listener.Account{
	{Brand: "Acme", Handle: "@acme"},
	{Brand: "Globex", Handle: "globex"},
	{Brand: "Initech", Handle: "UCinitechOfficialCh002cc"},
}

// budget is an in-memory quota of limit units, reset at YouTube's midnight.
func budget(limit int) *listenertest.Budget {
	return &listenertest.Budget{Limit: limit, Resets: quotaReset(now)}
}
