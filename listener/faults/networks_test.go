package faults_test

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot/listener/faults"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/store"
)

// A fault either fails the source (unhealthy, a useful error) or is
// absorbed (the source stays up and stores each post once).
type expect int

const (
	fails expect = iota
	absorbs
	// either: the source may absorb it or fail with a bounded error
	// (body cap, timeout), never a panic.
	either
)

// faultCase is one fault injected in front of one network's fake.
type faultCase struct {
	name string
	// plan is the fault for the network (lists are its item layout).
	plan func(network string, l faults.Lists) faults.Plan
	// down takes the fake's server down instead (connection refused).
	down bool
	// expect, per network when it differs ("" = every network).
	expect map[string]expect
	// errs: LastError must contain one of these (per network, "" = all).
	errs map[string][]string
	// tooLarge: the error must be the body cap (httpx.ErrBodyTooLarge).
	tooLarge bool
	// throttled: the source must be marked throttled.
	throttled bool
	// many: the fault multiplies the items; when absorbed, more mentions
	// than the real answers are stored, and the real ids need not be.
	many bool
	// timeout overrides the per-fetch timeout.
	timeout string
}

func (c faultCase) want(network string) expect {
	if e, ok := c.expect[network]; ok {
		return e
	}
	return c.expect[""]
}

func (c faultCase) wantErrs(network string) []string {
	if e, ok := c.errs[network]; ok {
		return e
	}
	return c.errs[""]
}

func kind(k faults.Kind) func(string, faults.Lists) faults.Plan {
	return func(string, faults.Lists) faults.Plan { return faults.Plan{Kind: k} }
}

func rewrite(f func(l faults.Lists) faults.Mutator) func(string, faults.Lists) faults.Plan {
	return func(_ string, l faults.Lists) faults.Plan { return faults.Plan{Kind: faults.Rewrite, Rewrite: f(l)} }
}

var (
	future = time.Now().AddDate(10, 0, 0)
	epoch  = time.Unix(0, 0)
)

var cases = []faultCase{
	{name: "connection refused", down: true, errs: map[string][]string{"": {"connection refused"}}},
	{name: "connection reset", plan: kind(faults.Reset), errs: map[string][]string{"": {"EOF", "connection reset"}}},
	{name: "timeout", plan: kind(faults.Hang), timeout: hangTimeout, errs: map[string][]string{"": {"timed out after 1s"}}},
	{name: "trickle", plan: func(string, faults.Lists) faults.Plan {
		return faults.Plan{Kind: faults.Trickle, Every: 100 * time.Millisecond}
	}, timeout: hangTimeout, errs: map[string][]string{"": {"timed out after 1s"}, "web": {"timed out after 1s", "context deadline exceeded", "request canceled"}}},
	{name: "truncated body", plan: kind(faults.Truncate), errs: map[string][]string{"": {"unexpected end of JSON input", "unexpected EOF", "XML syntax error"}},
		// a cut HTML page still parses: the posts before the cut are kept
		expect: map[string]expect{"web": absorbs}},
	{name: "html instead of json", plan: kind(faults.HTMLPage), errs: map[string][]string{"": {"invalid character '<'"}, "youtube": {"not a JSON object"}, "rss": {"got an HTML page (api.example.com | 502: Bad gateway)"}},
		// for the crawler an HTML page is the expected answer: one without posts
		expect: map[string]expect{"web": absorbs}},
	{name: "200 with error body", plan: kind(faults.ErrorBody), errs: map[string][]string{
		"hackernews": {"not a search response"},
		"rss":        {"not a feed"},
		"reddit":     {"decode", "token"},
		"mastodon":   {"decode"},
		"bluesky":    {"decode"},
		"naver":      {"not a search response"},
		"daum":       {"not a search response"},
		"youtube":    {"decode", "no channel with handle"},
		"x":          {"no user", "decode"},
		"web":        {"no page could be fetched"},
	}},
	{name: "429 with retry-after", plan: func(string, faults.Lists) faults.Plan {
		return faults.Plan{Kind: faults.RateLimited, RetryAfter: 2 * time.Minute}
	}, errs: map[string][]string{"": {"http 429 (retry after 2m0s)"}}, throttled: true},
	{name: "429 without retry-after", plan: kind(faults.RateLimited), errs: map[string][]string{"": {"http 429"}}},
	{name: "5xx storm", plan: kind(faults.Storm), errs: map[string][]string{"": {"http 500", "http 502", "http 503", "http 504"}}},
	{name: "gzip bomb", plan: func(network string, _ faults.Lists) faults.Plan {
		p := faults.Plan{Kind: faults.GzipBomb}
		if network == "web" {
			p.ContentType = "text/html; charset=utf-8"
		}
		return p
	}, tooLarge: true, errs: map[string][]string{"": {"response body too large"}, "web": {"max_body"}}},
	{name: "100 MB body", plan: kind(faults.HugeBody), tooLarge: true, errs: map[string][]string{"": {"response body too large"}, "web": {"max_body"}}},
	{name: "invalid utf-8", plan: rewrite(func(faults.Lists) faults.Mutator { return faults.InvalidUTF8() }),
		expect: map[string]expect{"": absorbs}},
	{name: "duplicate ids", plan: rewrite(faults.Lists.Duplicate), expect: map[string]expect{"": absorbs}},
	// The older half of the posts, oldest first; the newer half shows up
	// after and must not be skipped.
	{name: "ids going backwards", plan: rewrite(func(l faults.Lists) faults.Mutator {
		return l.Select(func(n int) []int { return reversed(faults.OlderHalf(n)) })
	}), expect: map[string]expect{"": absorbs}},
	// The older half of the posts, dated ten years ahead; the newer half
	// shows up after: a cursor moved to the future would skip it.
	{name: "timestamps in the future", plan: rewrite(func(l faults.Lists) faults.Mutator {
		return faults.Chain(l.Select(faults.OlderHalf), faults.SetTimes(future))
	}), expect: map[string]expect{"": absorbs}},
	{name: "timestamps in 1970", plan: rewrite(func(l faults.Lists) faults.Mutator {
		return faults.SetTimes(epoch)
	}), expect: map[string]expect{"": absorbs}},
	// A feed of 10,000 items; APIs cap a page (100 on most, 1,000 on
	// Algolia), so they get pages of 300, three times the usual cap.
	{name: "10000 items", plan: func(network string, l faults.Lists) faults.Plan {
		if network == "rss" {
			return faults.Plan{Kind: faults.Rewrite, Rewrite: l.Many(10000),
				Match: func(r *http.Request) bool { return r.URL.Path == "/rss/atom.xml" }}
		}
		return faults.Plan{Kind: faults.Rewrite, Rewrite: l.Many(300)}
	}, expect: map[string]expect{"": either, "rss": absorbs}, many: true, timeout: "60s",
		errs: map[string][]string{"": {"response body too large", "timed out after"}, "youtube": {"no channel with handle"}}},
}

// baselines holds each network's stored IDs after one healthy fetch.
var baselines sync.Map

func baseline(t *testing.T, network string) map[string]bool {
	if v, ok := baselines.Load(network); ok {
		return v.(map[string]bool)
	}
	r := newRig(t, nil, network)
	r.waitFirstRound()
	if h := r.health(network); !h.Healthy {
		t.Fatalf("baseline %s unhealthy: %s", network, h.LastError)
	}
	ids := r.stored(network)
	if len(ids) == 0 {
		t.Fatalf("baseline %s stored nothing", network)
	}
	r.stop()
	baselines.Store(network, ids)
	return ids
}

// companions are the healthy sources polled alongside a faulty one.
func companions(network string) []string {
	if network == "hackernews" || network == "rss" {
		return []string{"naver", "x"}
	}
	return []string{"hackernews", "rss"}
}

// slots bounds how many rigs run at once: fetches that wait (hangs,
// trickles) overlap, CPU-bound ones do not starve the machine.
var slots = make(chan struct{}, 6)

func TestFaultsEveryNetwork(t *testing.T) {
	for _, n := range networks {
		t.Run(n.name, func(t *testing.T) {
			t.Parallel()
			for _, c := range cases {
				t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
					t.Parallel()
					slots <- struct{}{}
					defer func() { <-slots }()
					runFault(t, n.name, c)
				})
			}
		})
	}
}

func runFault(t *testing.T, network string, c faultCase) {
	if testing.Short() && (c.tooLarge || c.many) && network != "hackernews" && network != "rss" {
		t.Skip("-short: the size faults run on hackernews and rss only")
	}
	want := baseline(t, network)
	comp := companions(network)
	compBase := map[string]map[string]bool{}
	for _, o := range comp {
		compBase[o] = baseline(t, o)
	}
	plans := map[string]faults.Plan{}
	if c.plan != nil {
		plans[network] = c.plan(network, lists[network])
	}
	timeout := fetchTimeout
	if c.timeout != "" {
		timeout = c.timeout
	}
	r := newRigTimeout(t, timeout, plans, append([]string{network}, comp...)...)
	if c.down {
		// Down before the first fetch; the scheduler starts at once, so
		// this rig's source may race it: take it down and fetch again.
		if err := r.srv[network].Down(); err != nil {
			t.Fatal(err)
		}
	}
	r.waitFirstRound()
	if c.down {
		_ = r.sched.RunOnce(context.Background(), network)
	}

	// The others are unaffected.
	for _, o := range comp {
		h := r.health(o)
		if !h.Healthy || h.ConsecutiveFailures != 0 {
			t.Errorf("companion %s affected: healthy=%v err=%q", o, h.Healthy, h.LastError)
		}
		if got := r.stored(o); !maps.Equal(got, compBase[o]) {
			t.Errorf("companion %s stored %d mentions, want %d", o, len(got), len(compBase[o]))
		}
	}

	h := r.health(network)
	h0 := h
	got := r.stored(network)
	t.Logf("%s under %s: healthy=%v throttled=%v stored=%d/%d err=%q", network, c.name, h.Healthy, h.Throttled, len(got), len(want), h.LastError)
	outcome := c.want(network)
	if outcome == either {
		if strings.Contains(h.LastError, "panic") {
			t.Fatalf("panic under %s: %s", c.name, h.LastError)
		}
		outcome = absorbs
		if !h.Healthy {
			outcome = fails
		}
	}
	switch outcome {
	case fails:
		if h.Healthy {
			t.Fatalf("healthy under %s (stored %d): the fault went unnoticed", c.name, len(got))
		}
		if !containsAny(h.LastError, c.wantErrs(network)) {
			t.Errorf("LastError %q names none of %q", h.LastError, c.wantErrs(network))
		}
		if c.throttled && !h.Throttled {
			t.Errorf("not marked throttled under %s", c.name)
		}
		if c.tooLarge && network != "web" {
			// Again, to get the error value itself: the fetcher's cap.
			err := r.sched.RunOnce(context.Background(), network)
			if !errors.Is(err, httpx.ErrBodyTooLarge) {
				t.Errorf("want httpx.ErrBodyTooLarge, got %v", err)
			}
		}
	case absorbs:
		checkValid(t, r.st, network)
	}

	// Recovery: the fake behaves again.
	if c.down {
		if err := r.srv[network].Up(); err != nil {
			t.Fatal(err)
		}
	}
	r.fault[network].Set(faults.Plan{})
	if err := r.sched.RunOnce(context.Background(), network); err != nil {
		t.Fatalf("fetch after recovery: %v", err)
	}
	h = r.health(network)
	if !h.Healthy || h.Throttled || h.ConsecutiveFailures != 0 {
		t.Errorf("not healthy after recovery: %+v", h)
	}
	got = r.stored(network)
	switch {
	case c.many && network == "rss":
		// feeds read the newest max_items first: the copies that fit are
		// those of the newest posts (which may match nothing), and the
		// rest is reported, not silently dropped
		if !slices.ContainsFunc(h0.Warnings, func(w string) bool { return strings.Contains(w, "items skipped") }) {
			t.Errorf("rss under %s: no \"items skipped\" warning in health: %+v", c.name, h0)
		}
	case c.many && outcome == absorbs && network != "web":
		// copies share the real posts' times: a cursor past them is right
		if len(got) <= len(want) {
			t.Errorf("stored %d mentions, want more than the %d of the real answers", len(got), len(want))
		}
	case c.many:
	default:
		for id := range want {
			if !got[id] {
				t.Errorf("after recovery %s is missing (stored %d of %d): a cursor skipped posts", id, len(got), len(want))
				break
			}
		}
		if len(got) != len(want) {
			t.Errorf("stored %d mentions after recovery, want the %d of a healthy run", len(got), len(want))
		}
	}
	// Once more: nothing new (a source still working through thousands of
	// copies may store more), nothing stored twice.
	before := h.MentionsStored
	if err := r.sched.RunOnce(context.Background(), network); err != nil {
		t.Fatalf("second fetch after recovery: %v", err)
	}
	if h := r.health(network); h.MentionsStored != before && !c.many {
		t.Errorf("a repeat fetch stored %d more", h.MentionsStored-before)
	}
	r.stored(network)
	if err := syncIndex(r.st); err != nil {
		t.Errorf("index: %v", err)
	}
}

func reversed(idx []int) []int {
	slices.Reverse(idx)
	return idx
}

func containsAny(s string, subs []string) bool {
	return slices.ContainsFunc(subs, func(sub string) bool { return strings.Contains(s, sub) })
}

// checkValid checks what an absorbed fault left in the store: valid text.
func checkValid(t *testing.T, st *store.Store, network string) {
	t.Helper()
	err := st.Range(context.Background(), time.Unix(0, 0).Add(-1<<62), time.Unix(1<<40, 0), func(m store.Mention) error {
		if m.Network != network {
			return nil
		}
		for _, s := range []string{m.ID, m.Title, m.Text, m.Author, m.URL} {
			if !utf8.ValidString(s) {
				t.Errorf("mention %s has invalid UTF-8: %q", m.ID, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func syncIndex(st *store.Store) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return st.Sync(ctx)
}
