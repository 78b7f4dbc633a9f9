package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

// blockingSearcher holds every expensive search until release is closed.
type blockingSearcher struct {
	*store.Store
	started chan struct{}
	release chan struct{}
}

func (b blockingSearcher) Search(ctx context.Context, req store.SearchRequest) (*store.SearchResult, error) {
	if expensive(req) {
		b.started <- struct{}{}
		<-b.release
	}
	return b.Store.Search(ctx, req)
}

func TestExpensiveDefinition(t *testing.T) {
	brands, nets := []string{"Acme"}, []string{"hackernews"}
	for q, want := range map[string]bool{
		"q=acme": false, "q=batter*": false, "q=ba*": true, "q=a*+OR+b*": true, "q=bat*+cha*": false, "q=bat*+cha*+sup*": true,
		"q=acme&page=100&size=20": false, "q=acme&page=101&size=20": true, "q=acme&page=21&size=100": true,
		"facets=brand,network": false, "facets=brand,network,lang": true, "q=acme&facets=brand,network,lang,kind": false,
		`q="ba*"`: false, "q=ab*+NEAR/3+battery": true,
	} {
		v, _ := url.ParseQuery(q)
		req, _, err := ParseSearch(v, brands, nets, nil)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if got := expensive(req); got != want {
			t.Errorf("expensive(%s) = %v, want %v", q, got, want)
		}
	}
}

// With every expensive slot held by a blocked search, another expensive
// search waits briefly and gets 429 with Retry-After, while simple searches
// keep answering at once.
func TestExpensiveSearchesLimitedSimpleOnesNot(t *testing.T) {
	st := openFixtureStore(t)
	bs := blockingSearcher{Store: st, started: make(chan struct{}, 4), release: make(chan struct{})}
	s := New(Options{Searcher: bs, Stats: st, Logger: zerolog.Nop(), Brands: []string{"Acme", "Globex", "Initech"},
		Networks: []string{"hackernews", "rss"}, MaxExpensive: 2, ExpensiveWait: 200 * time.Millisecond})
	var wg sync.WaitGroup
	codes := make(chan int, 2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec, _ := get(t, s, "/api/search?q=ab*")
			codes <- rec.Code
		}()
	}
	for range 2 {
		select {
		case <-bs.started:
		case <-time.After(10 * time.Second):
			t.Fatal("the expensive searches did not start")
		}
	}
	start := time.Now()
	rec, _ := get(t, s, "/api/search?q=bc*")
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Errorf("third expensive search: %d, Retry-After %q; want 429 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	if waited := time.Since(start); waited < 200*time.Millisecond {
		t.Errorf("refused after %v, before its wait", waited)
	}
	if rec, body := get(t, s, "/?q=bc*"); rec.Code != http.StatusTooManyRequests || !strings.Contains(body, "Too many expensive searches") {
		t.Errorf("search page, expensive: %d, want 429 with the explanation", rec.Code)
	}
	for _, q := range []string{"/api/search?q=acme", "/api/search?q=battery*", "/?q=acme"} {
		start := time.Now()
		if rec, _ := get(t, s, q); rec.Code != http.StatusOK {
			t.Errorf("simple search %s beside busy expensive ones: %d", q, rec.Code)
		}
		if took := time.Since(start); took > 150*time.Millisecond {
			t.Errorf("simple search %s took %v beside busy expensive ones", q, took)
		}
	}
	close(bs.release)
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusOK {
			t.Errorf("held expensive search: %d", c)
		}
	}
	if rec, _ := get(t, s, "/api/search?q=bc*"); rec.Code != http.StatusOK {
		t.Errorf("expensive search after the slots freed: %d", rec.Code)
	}
}
