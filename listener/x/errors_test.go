package x

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/x/xfake"
)

func TestWrongToken(t *testing.T) {
	api := newFake(t, nil, xfakeOpts())
	s := New(Config{BaseURL: api.base(), BearerToken: "wrong", Queries: []string{"Acme", "Globex"}}, fetcher(), clock, nil)
	posts, next, err := s.Fetch(context.Background(), nil)
	var he *listener.HTTPError
	if !errors.Is(err, ErrUnauthorized) || !errors.As(err, &he) || he.StatusCode != 401 || next != nil || posts != nil {
		t.Fatalf("want 401 ErrUnauthorized, got %v (next %s)", err, next)
	}
	if !strings.Contains(err.Error(), "bearer_token_env") || !strings.Contains(err.Error(), `"Unauthorized"`) {
		t.Errorf("unclear error: %v", err)
	}
	if n := len(api.requests()); n != 1 {
		t.Errorf("%d requests after a 401, want 1", n)
	}
	if _, _, err := New(Config{BaseURL: api.base(), Queries: []string{"Acme"}}, fetcher(), clock, nil).Fetch(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "bearer_token_env") {
		t.Errorf("no token: %v", err)
	}
}

func TestRateLimited(t *testing.T) {
	api := newFake(t, nil, xfake.Options{Fail: map[string]string{"slow": xfake.RateLimited}})
	s := New(Config{BaseURL: api.base(), BearerToken: token, Queries: []string{"slow", "Acme"}}, fetcher(), clock, nil)
	posts, next, err := s.Fetch(context.Background(), nil)
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 429 || he.RetryAfter != 15*time.Minute || next != nil || posts != nil {
		t.Fatalf("429: %v next=%s", err, next)
	}
	if n := len(api.requests()); n != 1 {
		t.Errorf("%d requests after a 429, want 1", n)
	}
}

func TestRefusals(t *testing.T) {
	for name, want := range map[string]error{xfake.UsageCapped: ErrUsageCapped, xfake.ClientNotEnrolled: ErrForbidden} {
		api := newFake(t, nil, xfake.Options{Fail: map[string]string{"acme": name}})
		s := New(Config{BaseURL: api.base(), BearerToken: token, Queries: []string{"Acme", "Globex"}}, fetcher(), clock, nil)
		_, next, err := s.Fetch(context.Background(), nil)
		if !errors.Is(err, want) || next != nil || len(api.requests()) != 1 {
			t.Errorf("%s: err %v, next %s, %d requests", name, err, next, len(api.requests()))
		}
	}
	api := newFake(t, nil, xfakeOpts())
	s := New(Config{BaseURL: api.base(), BearerToken: token, Queries: []string{"Acme (", "Globex"}}, fetcher(), clock, nil)
	posts, next, err := s.Fetch(context.Background(), nil)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "There were errors processing your request") || next == nil || len(posts) == 0 {
		t.Fatalf("bad query: %v (next %s, %d posts)", err, next, len(posts))
	}
}

func TestPartialSuccess(t *testing.T) {
	api := newFake(t, nil, xfake.Options{Fail: map[string]string{"broken": xfake.ServerError, "garbled": xfake.Malformed}})
	prev, _ := json.Marshal(cursor{Queries: map[string]*chain{"broken": {Since: "2124000000000000000", SinceTime: 1795000000}}})
	s := New(Config{BaseURL: api.base(), BearerToken: token, Queries: []string{"Initech", "broken", "garbled", "Globex"},
		Accounts: []listener.Account{{Brand: "Acme", Handle: "nosuchbrand"}}}, fetcher(), clock, nil)
	posts, next, err := s.Fetch(context.Background(), prev)
	if err == nil || next == nil || len(posts) == 0 {
		t.Fatalf("want partial result: %d posts, next %s, err %v", len(posts), next, err)
	}
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 503 {
		t.Errorf("want the 503 in %v", err)
	}
	msg := err.Error()
	for _, w := range []string{`query "broken"`, `query "garbled"`, "decode " + api.base() + "/2/tweets/search/recent?", "unexpected end of JSON",
		`account "nosuchbrand"`, "Could not find user with username: [nosuchbrand]"} {
		if !strings.Contains(msg, w) {
			t.Errorf("error lacks %q:\n%s", w, msg)
		}
	}
	cur := decodeCursor(t, next)
	if cur.Queries["broken"] == nil || cur.Queries["broken"].Since != "2124000000000000000" {
		t.Errorf("failed query's cursor moved: %s", next)
	}
	if _, ok := cur.Queries["garbled"]; ok {
		t.Errorf("failed first-run query got a cursor: %s", next)
	}
	if cur.Queries["Initech"] == nil || cur.Queries["Globex"] == nil || cur.Queries["Globex"].Since == "" {
		t.Errorf("good queries not advanced: %s", next)
	}
	find(t, posts, "opsguy", "Initech API is down")
	find(t, posts, "globex", "price drop")
}

func TestBudget(t *testing.T) {
	api := newFake(t, nil, xfakeOpts())
	cfg := Config{BaseURL: api.base(), BearerToken: token, Queries: []string{"Acme OR 아크미"}, PageSize: 10, Lookback: 7 * 24 * time.Hour}
	b := budget(15, 0)
	ctx := context.Background()
	first, cur, err := New(cfg, fetcher(), clock, b).Fetch(ctx, nil)
	var be *listener.BudgetError
	if !errors.As(err, &be) || len(first) != 10 || cur == nil {
		t.Fatalf("budget stop: %d posts, %v", len(first), err)
	}
	if b.Used > b.Limit || len(api.requests()) != 1 {
		t.Fatalf("budget exceeded or request sent without budget: used %d, %d requests", b.Used, len(api.requests()))
	}
	if st := decodeCursor(t, cur).Queries["Acme OR 아크미"]; st == nil || st.Until == "" || st.Newest != "2125858346339393614" || st.Since != "" {
		t.Fatalf("gap cursor %s", cur)
	}
	// The gap is read next time, then nothing newer: 11 posts in all, none twice.
	b2 := budget(1000, 0)
	rest, cur2, err := New(cfg, fetcher(), clock, b2).Fetch(ctx, cur)
	if err != nil || len(rest) != 1 {
		t.Fatalf("gap fetch: %d posts, %v\n%s", len(rest), err, describe(rest))
	}
	if ids(first)[rest[0].NativeID] {
		t.Fatalf("repeated %s", rest[0].NativeID)
	}
	last := api.requests()[len(api.requests())-2]
	if q := query(last); q.Get("until_id") == "" {
		t.Errorf("gap request lacks until_id: %s", last.URL)
	}
	if st := decodeCursor(t, cur2).Queries["Acme OR 아크미"]; st.Until != "" || st.Since != "2125858346339393614" {
		t.Fatalf("closed gap cursor %s", cur2)
	}
	// X bills the posts it returns: the gap fetch asked for 10 and got 1.
	if b2.Used != len(rest) || len(b2.Takes) != 1 {
		t.Errorf("billed %d (takes %v) for %d posts read", b2.Used, b2.Takes, len(rest))
	}
	// A nearly spent budget shrinks max_results but never below 10.
	big := cfg
	big.PageSize = 0
	b3 := budget(1012, 1000)
	if got, _, err := New(big, fetcher(), clock, b3).Fetch(ctx, cur2); err != nil || b3.Used != 1000+len(got) {
		t.Fatalf("small budget: %v, used %d for %d posts", err, b3.Used, len(got))
	}
	if r := api.requests()[len(api.requests())-1]; query(r).Get("max_results") != "12" {
		t.Errorf("max_results not shrunk: %s", r.URL)
	}
	b4 := budget(1009, 1000) // less than the minimum page of 10 left
	if _, next, err := New(cfg, fetcher(), clock, b4).Fetch(ctx, cur2); !errors.As(err, &be) || next != nil || b4.Used != 1000 {
		t.Fatalf("spent budget: %v, next %s, used %d", err, next, b4.Used)
	}
}

func TestBadInput(t *testing.T) {
	api := newFake(t, nil, xfakeOpts())
	ctx := context.Background()
	if _, _, err := New(Config{BaseURL: api.base(), BearerToken: token}, fetcher(), clock, nil).Fetch(ctx, nil); err == nil {
		t.Error("no queries: want error")
	}
	if _, _, err := New(Config{BaseURL: api.base(), BearerToken: token, Queries: []string{"a"}}, fetcher(), clock, nil).Fetch(ctx, []byte("{bad")); err == nil {
		t.Error("bad cursor: want error")
	}
	// A since position older than the search window is clamped to it.
	old, _ := json.Marshal(cursor{Queries: map[string]*chain{"Globex": {Since: "1", SinceTime: now.Add(-30 * 24 * time.Hour).Unix()}}})
	if _, _, err := New(Config{BaseURL: api.base(), BearerToken: token, Queries: []string{"Globex"}}, fetcher(), clock, nil).Fetch(ctx, old); err != nil {
		t.Fatal(err)
	}
	last := api.requests()[len(api.requests())-1]
	if q := query(last); q.Get("since_id") != "" || q.Get("start_time") != now.Add(-searchWindow).Format(time.RFC3339) {
		t.Errorf("stale since not clamped: %s", last.URL)
	}
}

func TestRetweetsSkipped(t *testing.T) {
	api := newFake(t, nil, xfakeOpts())
	s := New(Config{BaseURL: api.base(), BearerToken: token, Queries: []string{"Acme is:retweet"}}, fetcher(), clock, nil)
	posts, next, err := s.Fetch(context.Background(), nil)
	if err != nil || len(posts) != 0 {
		t.Fatalf("retweet returned: %v\n%s", err, describe(posts))
	}
	if q := query(api.requests()[0]); q.Get("query") != "Acme is:retweet" {
		t.Errorf("query rewritten: %q", q.Get("query"))
	}
	if st := decodeCursor(t, next).Queries["Acme is:retweet"]; st == nil || st.Since != "2125175092355473450" {
		t.Errorf("cursor did not move past the retweet: %s", next)
	}
}

// The daily budget counts what X bills, the posts returned, not the
// max_results asked for: reading a few posts with pages of 100 spends a
// few units, not 100 a request.
func TestBudgetCountsPostsReturned(t *testing.T) {
	api := newFake(t, nil, xfakeOpts())
	cfg := Config{BaseURL: api.base(), BearerToken: token, Queries: []string{"Acme OR 아크미"}, PageSize: 100, Lookback: 7 * 24 * time.Hour}
	b := budget(2000, 0)
	posts, _, err := New(cfg, fetcher(), clock, b).Fetch(context.Background(), nil)
	if err != nil || len(posts) == 0 {
		t.Fatalf("%d posts, %v", len(posts), err)
	}
	requests := len(api.requests())
	if b.Used < len(posts) || b.Used >= 100*requests || b.Used > len(posts)+len(posts)/2 {
		t.Fatalf("budget used %d for %d posts read in %d requests", b.Used, len(posts), requests)
	}
}
