package cluster

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// standalone starts one embedded NATS server (JetStream, no routes) and
// returns its client URL: the lease, cursor and ledger rules do not need
// three servers.
func standalone(t *testing.T) string { return standaloneTB(t) }

func standaloneTB(t testing.TB) string {
	t.Helper()
	s, err := StartServer(config.Cluster{Embedded: true, Name: "t", NodeName: "solo", Listen: "127.0.0.1:0"}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Shutdown)
	return s.ClientURL()
}

// openNode joins url as name with config hash hash and runs its lease loop.
func openNode(t testing.TB, url, name, hash string) (*Node, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	n, err := Open(ctx, Options{Cluster: config.Cluster{NATSURLs: []string{url}, Name: "t", NodeName: name, Replicas: 1,
		LeaseTTL: config.Duration(time.Second)}, DataDir: t.TempDir(), Hash: hash, Logger: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)})
	if err != nil {
		t.Fatal(err)
	}
	rctx, rcancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = n.Run(rctx) }()
	stop := func() { rcancel(); <-done; n.Close() }
	t.Cleanup(stop)
	return n, func() { n.Close(); rcancel(); <-done } // a crash: nothing released
}

func holdersOf(ns []*Node, kind, name string) []string {
	var out []string
	for _, n := range ns {
		if n.Holds(kind, name) {
			out = append(out, n.Name())
		}
	}
	return out
}

func TestLeaseOneHolderAndFailover(t *testing.T) {
	url := standalone(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, killA := openNode(t, url, "a", "h")
	b, _ := openNode(t, url, "b", "h")
	ns := []*Node{a, b}
	for _, n := range ns {
		n.Want(KindSource, "s1", "s2", "s3", "s4")
	}
	all := func() bool {
		for _, s := range []string{"s1", "s2", "s3", "s4"} {
			if len(holdersOf(ns, KindSource, s)) != 1 {
				return false
			}
		}
		return true
	}
	waitFor(ctx, t, "every source held by one node", all)
	// Spread: each node ends up with its fair share (2 of 4).
	waitFor(ctx, t, "leases spread over both nodes", func() bool {
		count := map[string]int{}
		for _, s := range []string{"s1", "s2", "s3", "s4"} {
			if h := holdersOf(ns, KindSource, s); len(h) == 1 {
				count[h[0]]++
			}
		}
		return count["a"] == 2 && count["b"] == 2
	})
	killA()
	t0 := time.Now()
	waitFor(ctx, t, "b holds every source", func() bool {
		for _, s := range []string{"s1", "s2", "s3", "s4"} {
			if !b.Holds(KindSource, s) {
				return false
			}
		}
		return true
	})
	t.Logf("failover after %v (TTL 1s, tick 250ms)", time.Since(t0).Round(time.Millisecond))
	// b's leases are renewed, not lost, over several TTLs.
	time.Sleep(2500 * time.Millisecond)
	for _, s := range []string{"s1", "s2", "s3", "s4"} {
		if !b.Holds(KindSource, s) {
			t.Errorf("b lost %s while alone", s)
		}
	}
	// Unwanted leases are released.
	b.Want(KindSource, "s1")
	waitFor(ctx, t, "s2 released", func() bool { return !b.Holds(KindSource, "s2") })
}

func TestConfigHashRefusesLeases(t *testing.T) {
	url := standalone(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, _ := openNode(t, url, "a", "h1")
	b, _ := openNode(t, url, "b", "h1")
	c, _ := openNode(t, url, "c", "h2")
	for _, n := range []*Node{a, b, c} {
		n.Want(KindSource, "s1", "s2", "s3")
	}
	waitFor(ctx, t, "c refuses", func() bool { return c.Refused() != "" })
	if r := c.Refused(); !strings.Contains(r, "config hash h2 differs from h1 run by a, b") {
		t.Errorf("refused = %q", r)
	}
	if a.Refused() != "" || b.Refused() != "" {
		t.Errorf("a or b refuses: %q %q", a.Refused(), b.Refused())
	}
	waitFor(ctx, t, "a and b hold every source", func() bool {
		for _, s := range []string{"s1", "s2", "s3"} {
			if len(holdersOf([]*Node{a, b}, KindSource, s)) != 1 {
				return false
			}
		}
		return true
	})
	for _, s := range []string{"s1", "s2", "s3"} {
		if c.Holds(KindSource, s) {
			t.Errorf("c holds %s with a different config", s)
		}
	}
	// As `earshot status` reads it: a client of the servers, no node
	// (c announces its refusal in the round it decides it).
	var st Status
	waitFor(ctx, t, "the status to show c refusing and every lease held", func() bool {
		var err error
		if st, err = ReadStatus(ctx, config.Cluster{NATSURLs: []string{url}, Name: "t"}); err != nil {
			t.Logf("status: %v", err)
			return false
		}
		i := slices.IndexFunc(st.Nodes, func(n NodeStatus) bool { return n.Name == "c" })
		return i >= 0 && strings.Contains(st.Nodes[i].Refused, "differs") && len(st.Leases) == 3
	})
	var sb strings.Builder
	st.Write(&sb)
	if !strings.Contains(sb.String(), "REFUSING LEASES") || !strings.Contains(sb.String(), "lease source s1") {
		t.Errorf("status text:\n%s", sb.String())
	}
}

func TestAgreedHash(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ms := []member{{Node: "a", Hash: "x", Started: t0.Add(time.Hour)}, {Node: "b", Hash: "y", Started: t0}}
	if h, _ := agreedHash(ms); h != "y" { // tie: the longest-running node
		t.Errorf("tie = %s, want y", h)
	}
	ms = append(ms, member{Node: "c", Hash: "x", Started: t0.Add(2 * time.Hour)})
	if h, why := agreedHash(ms); h != "x" || why != "run by a, c" { // majority
		t.Errorf("majority = %s %q", h, why)
	}
}

// TestCursorCompareAndSet: a cursor moved by another node is not
// overwritten by a stale commit, and the mentions are still published.
func TestCursorCompareAndSet(t *testing.T) {
	url := standalone(t)
	a, _ := openNode(t, url, "a", "h")
	b, _ := openNode(t, url, "b", "h")
	sa, sb := a.Sink(nil), b.Sink(nil)
	if c, err := sb.Cursor("src"); err != nil || c != nil {
		t.Fatalf("first cursor = %q, %v", c, err)
	}
	m := []store.Mention{{ID: "rss:1", Network: "rss", Text: "x", Published: time.Unix(1e9, 0)}}
	if _, err := sb.Commit("src", m, []byte("b1")); err != nil {
		t.Fatal(err)
	}
	// Both read b1; b advances it; a's commit from the stale read fails.
	for _, s := range []*Sink{sa, sb} {
		if c, err := s.Cursor("src"); err != nil || string(c) != "b1" {
			t.Fatalf("cursor = %q, %v", c, err)
		}
	}
	if _, err := sb.Commit("src", m, []byte("b2")); err != nil {
		t.Fatal(err)
	}
	res, err := sa.Commit("src", []store.Mention{{ID: "rss:2", Network: "rss", Text: "y", Published: time.Unix(1e9, 0)}}, []byte("a1"))
	if err == nil || !errors.Is(err, jetstream.ErrKeyExists) && !errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
		t.Fatalf("stale commit = %v, want a compare-and-set failure", err)
	}
	if res.Added != 1 {
		t.Errorf("stale commit published %d, want 1 (published before the cursor)", res.Added)
	}
	if c, _ := sa.Cursor("src"); string(c) != "b2" {
		t.Fatalf("cursor = %q, want b2", c)
	}
	if _, err := sa.Commit("src", m, []byte("a2")); err != nil {
		t.Fatalf("commit after re-reading: %v", err)
	}
	res, err = sb.Commit("src", m, nil)
	if err != nil || res.Duplicates != 1 || res.Added != 0 {
		t.Errorf("republish = %+v, %v; want one duplicate (Nats-Msg-Id)", res, err)
	}
}

func TestQuantile(t *testing.T) {
	var s []time.Duration
	for i := 1; i <= 20; i++ {
		s = append(s, time.Duration(i)*time.Millisecond)
	}
	// nearest rank: p50 = s[ceil(10)-1] = 10ms, p95 = s[ceil(19)-1] = 19ms
	if q := quantile(s, 0.5); q != 10*time.Millisecond {
		t.Errorf("p50 = %v", q)
	}
	if q := quantile(s, 0.95); q != 19*time.Millisecond {
		t.Errorf("p95 = %v", q)
	}
	// 10 samples: p95 = s[ceil(9.5)-1] = s[9] = 10ms (not s[8])
	if q := quantile(s[:10], 0.95); q != 10*time.Millisecond {
		t.Errorf("p95 of ten = %v", q)
	}
	if q := quantile(s[:1], 0.95); q != time.Millisecond {
		t.Errorf("p95 of one = %v", q)
	}
}

func TestLeaseKeyRoundTrip(t *testing.T) {
	for _, name := range []string{"hn-stories", "네이버 블로그", "a.b/c d", ""} {
		k := LeaseKey(KindSource, name)
		if kind, got := parseLeaseKey(k); kind != KindSource || got != name {
			t.Errorf("%q → %q → %q %q", name, k, kind, got)
		}
		if strings.ContainsAny(strings.TrimPrefix(k, KindSource+"."), ". *>") {
			t.Errorf("key %q is not a valid KV key token", k)
		}
	}
	_ = fmt.Sprint()
}

// TestRenewalWhoseReplyWasLost: a renewal that reached the server but
// whose reply did not come back (a timeout) leaves the key one revision
// ahead of what the holder remembers; the holder's next renewal finds its
// own record there and keeps the lease, without a gap.
func TestRenewalWhoseReplyWasLost(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	url := standalone(t)
	a, _ := openNode(t, url, "a", "h")
	a.Want(KindSource, "s1")
	waitFor(ctx, t, "a holds s1", func() bool { return a.Holds(KindSource, "s1") })
	key := LeaseKey(KindSource, "s1")
	e, err := a.kv.leases.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	// The write a timed-out renewal made: a's record, a revision on.
	if _, err := a.kv.leases.Update(ctx, key, e.Value(), e.Revision()); err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(4 * a.tick()); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if !a.Holds(KindSource, "s1") {
			t.Fatal("a lost s1 over a renewal it made itself")
		}
	}
	// Another node's record is not adopted: the lease is lost.
	e, err = a.kv.leases.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.kv.leases.Update(ctx, key, []byte(`{"node":"b"}`), e.Revision()); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, "a to lose s1 to b's record", func() bool { return !a.Holds(KindSource, "s1") })
}
