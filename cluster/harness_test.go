package cluster

import (
	"context"
	"encoding/binary"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/wneessen/go-mail"

	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/digest"
	"github.com/earshot/earshot/internal/freeport"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/ingest"
	"github.com/earshot/earshot/listener/match"
	"github.com/earshot/earshot/store"
)

// testTTL is the lease TTL in tests: short, so failover is quick.
const testTTL = 1500 * time.Millisecond

// testDeadline bounds a three-node test: a healthy run takes 40–90 s
// under -race on two loaded cores; a starved one may take twice that
// and still be right. What a test waits for is a condition, never a time.
const testDeadline = 160 * testTTL

// counter is a deterministic source: its cursor is the number of posts
// already returned; each fetch returns the next batch up to total. Every
// post names Acme, so every post is a mention.
type counter struct {
	name         string
	batch, total int
	base         time.Time
}

func (c *counter) Name() string    { return c.name }
func (c *counter) Network() string { return "rss" }
func (c *counter) Fetch(_ context.Context, cur []byte) ([]listener.Post, []byte, error) {
	k := 0
	if len(cur) == 8 {
		k = int(binary.BigEndian.Uint64(cur))
	}
	end := min(k+c.batch, c.total)
	var ps []listener.Post
	for i := k; i < end; i++ {
		ps = append(ps, listener.Post{Network: "rss", NativeID: fmt.Sprintf("%s-%d", c.name, i),
			URL: fmt.Sprintf("https://example.org/%s/%d", c.name, i), Text: postText(c.name, i),
			Published: c.base.Add(time.Duration(i) * time.Minute)})
	}
	next := make([]byte, 8)
	binary.BigEndian.PutUint64(next, uint64(end))
	return ps, next, nil
}

// postText is post i's text: every post names Acme, and posts 7, 257,
// 507, … name a recall too (what the alert rule of alertSetup looks for).
func postText(src string, i int) string {
	if i%250 == 7 {
		return fmt.Sprintf("Acme recall post %d from %s", i, src)
	}
	return fmt.Sprintf("Acme post %d from %s", i, src)
}

// wantIDs are the mention ids the sources produce in total.
func wantIDs(srcs []*counter) []string {
	var out []string
	for _, s := range srcs {
		for i := range s.total {
			out = append(out, fmt.Sprintf("rss:%s-%d", s.name, i))
		}
	}
	slices.Sort(out)
	return out
}

// testCluster is three embedded servers on loopback with fixed ports (so a
// node restarts on its own) and three nodes.
type testCluster struct {
	t      testing.TB
	root   string
	client []int
	route  []int
	nodes  []*testNode
	srcs   []*counter
	log    zerolog.Logger
	// digest: every node runs the weekly digest under the digest lease,
	// at a fixed time just after a scheduled send, into mailer.
	digestCfg *config.Config
	digestAt  time.Time
	mailer    countMailer
	// alerts: every node runs an alert engine over its store, delivering
	// through the alert gate to hook.
	alertCfg func(node string) *config.Config // each node's channel posts to hook's /<node>
	killed   string                           // the node the failover test killed
	alertT0  time.Time
	hook     *alertHook
}

// countMailer counts deliveries per period and recipient, across nodes.
type countMailer struct {
	mu sync.Mutex
	n  map[string]int
	by map[string]string // period+recipient → node that sent
}

type nodeMailer struct {
	c    *countMailer
	node string
}

func (m nodeMailer) Deliver(_ context.Context, _ *mail.Msg, period, rc string) (string, error) {
	m.c.mu.Lock()
	defer m.c.mu.Unlock()
	if m.c.n == nil {
		m.c.n, m.c.by = map[string]int{}, map[string]string{}
	}
	m.c.n[period+" "+rc]++
	m.c.by[period+" "+rc] = m.node
	return "", nil
}

func (m *countMailer) snapshot() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.n)
}

// ledgerSpy records what a node's digest runner read from the ledger.
type ledgerSpy struct {
	Ledger
	mu   sync.Mutex
	done int // records read that were already done
}

func (l *ledgerSpy) DigestRecord(period, rc string) (store.DigestRecord, bool, error) {
	r, ok, err := l.Ledger.DigestRecord(period, rc)
	if ok && r.Done() {
		l.mu.Lock()
		l.done++
		l.mu.Unlock()
	}
	return r, ok, err
}

func (l *ledgerSpy) skipped() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.done
}

type testNode struct {
	i      int
	dir    string
	node   *Node
	st     *store.Store
	cancel context.CancelFunc
	wg     sync.WaitGroup
	ledger *ledgerSpy
	alerts *alerts.Engine
}

// freePorts returns n loopback ports below the ephemeral range: a ":0"
// port closed again is taken by another package's test server before a
// node binds it (CI failed so once, "address already in use").
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	ps, err := freeport.Loopback(n)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func newTestCluster(t testing.TB, srcs []*counter, setup ...func(*testCluster)) *testCluster {
	ps := freePorts(t, 6)
	c := &testCluster{t: t, root: t.TempDir(), client: ps[:3], route: ps[3:], srcs: srcs, nodes: make([]*testNode, 3),
		log: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)}
	for _, f := range setup {
		f(c)
	}
	t.Cleanup(func() {
		for i := range c.nodes {
			c.kill(i)
		}
	})
	// Runs before the kills above: a failed test says what each node had.
	t.Cleanup(func() {
		if t.Failed() {
			c.dump()
		}
	})
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range 3 {
		wg.Go(func() { errs[i] = c.start(i) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func (c *testCluster) cfg(i int) config.Cluster {
	var routes []string
	for j := range 3 {
		if j != i {
			routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", c.route[j]))
		}
	}
	return config.Cluster{Embedded: true, Name: "t", NodeName: fmt.Sprintf("n%d", i),
		Listen: fmt.Sprintf("127.0.0.1:%d", c.client[i]), ClusterListen: fmt.Sprintf("127.0.0.1:%d", c.route[i]),
		Routes: routes, Replicas: 3, LeaseTTL: config.Duration(testTTL)}
}

// start opens node i on its data dir and runs leases, the follower and
// a scheduler over the counter sources.
func (c *testCluster) start(i int) error {
	dir := filepath.Join(c.root, fmt.Sprintf("n%d", i))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	node, err := Open(ctx, Options{Cluster: c.cfg(i), DataDir: dir, Hash: "h", Logger: c.log, Restore: true})
	if err != nil {
		return err
	}
	st, err := store.Open(dir, store.Options{Logger: c.log})
	if err != nil {
		node.Close()
		return err
	}
	tn := &testNode{i: i, dir: dir, node: node, st: st}
	rctx, rcancel := context.WithCancel(context.Background())
	tn.cancel = rcancel
	if c.alertCfg != nil {
		// Before the follower: the engine is the store's commit hook.
		if tn.alerts, err = c.startAlerts(node, st); err != nil {
			rcancel()
			node.Close()
			st.Close()
			return err
		}
		tn.wg.Go(func() { _ = tn.alerts.Run(rctx) })
	}
	var names []string
	var jobs []ingest.Job
	for _, s := range c.srcs {
		names = append(names, s.name)
		jobs = append(jobs, ingest.Job{Source: LeasedSource{Source: s, Node: node}, Every: 20 * time.Millisecond, Timeout: 5 * time.Second})
	}
	node.Want(KindSource, names...)
	m, err := match.New([]config.Brand{{Name: "Acme", Own: true, Terms: []string{"Acme"}}}, nil)
	if err != nil {
		return err
	}
	sched := ingest.NewScheduler(jobs, ingest.Options{Logger: c.log, Matcher: m, Sink: node.Sink(st), Jitter: -1,
		MinBackoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
	tn.wg.Go(func() { _ = node.Run(rctx) })
	tn.wg.Go(func() { _ = node.Follow(rctx, st) })
	tn.wg.Go(func() { _ = sched.Run(rctx) })
	if c.digestCfg != nil {
		tn.ledger = &ledgerSpy{Ledger: node.Ledger()}
		// Digests have run in this cluster since before the week's send.
		if _, err := node.Ledger().DigestFirstRun(c.digestAt.AddDate(0, 0, -9)); err != nil {
			return err
		}
		at := c.digestAt
		r, err := digest.New(digest.Options{Config: c.digestCfg, Ledger: tn.ledger, Logger: c.log, Clock: func() time.Time { return at },
			Mailer: nodeMailer{&c.mailer, node.Name()},
			Build: func(ctx context.Context, req report.Request) (*report.Report, error) {
				return report.Build(ctx, st, req)
			}})
		if err != nil {
			return err
		}
		tn.wg.Go(func() { node.Singleton(rctx, KindDigest, "weekly", r.Run) })
	}
	c.nodes[i] = tn
	return nil
}

// kill stops node i as a crash would: the connection and the server go
// first, so nothing is released.
func (c *testCluster) kill(i int) {
	tn := c.nodes[i]
	if tn == nil {
		return
	}
	t0 := time.Now()
	tn.node.Close()
	tn.cancel()
	tn.wg.Wait()
	tn.st.Close()
	c.nodes[i] = nil
	if d := time.Since(t0); d > 2*time.Second {
		c.t.Logf("killing n%d took %v", i, d.Round(time.Millisecond))
	}
}

// progress is one line on ingest: each live node's mentions and last
// committed stream sequence, and which sources it holds.
func (c *testCluster) progress() string {
	var b strings.Builder
	for _, tn := range c.nodes {
		if tn == nil {
			continue
		}
		tn.node.follow.Lock()
		seq := tn.node.follow.committed
		tn.node.follow.Unlock()
		var srcs []string
		for _, s := range c.srcs {
			if tn.node.Holds(KindSource, s.name) {
				srcs = append(srcs, s.name)
			}
		}
		fmt.Fprintf(&b, "%s %d mentions (seq %d, sources %v); ", tn.node.Name(), tn.st.Stats().Mentions, seq, srcs)
	}
	return b.String()
}

// dump logs each live node's state and the stream's: what a failed test
// needs to say why it waited in vain.
func (c *testCluster) dump() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c.t.Logf("state at failure (want %d mentions):", len(wantIDs(c.srcs)))
	for _, tn := range c.nodes {
		if tn == nil {
			continue
		}
		n := tn.node
		n.follow.Lock()
		committed := n.follow.committed
		n.follow.Unlock()
		n.lease.mu.Lock()
		var held []string
		for k, h := range n.lease.held {
			kind, name := parseLeaseKey(k)
			held = append(held, fmt.Sprintf("%s/%s(%v left)", kind, name, time.Until(h.deadline).Round(time.Millisecond)))
		}
		var members []string
		for _, m := range n.lease.members {
			members = append(members, m.Node)
		}
		refused := n.lease.refused
		n.lease.mu.Unlock()
		slices.Sort(held)
		p50, p95, lags := n.ReplicationLag()
		c.t.Logf("  %s: %d mentions, committed stream seq %d, lag p50 %v p95 %v (%d), members %v, refused %q, holds %v",
			n.Name(), tn.st.Stats().Mentions, committed, p50, p95, lags, members, refused, held)
		if tn.alerts != nil {
			c.t.Logf("  %s: %d alerts delivered", n.Name(), c.delivered(tn.i))
		}
		st, err := n.Status(ctx)
		if err != nil {
			c.t.Logf("  %s: status: %v", n.Name(), err)
			continue
		}
		c.t.Logf("  stream (via %s): %d mentions, last seq %d, leader %q", n.Name(), st.Messages, st.LastSeq, st.Leader)
		for _, ns := range st.Nodes {
			c.t.Logf("    node %s live %v pending %d", ns.Name, ns.Live, ns.Pending)
		}
		for _, l := range st.Leases {
			c.t.Logf("    lease %s/%s held by %s", l.Kind, l.Name, l.Node)
		}
	}
	if c.hook != nil {
		c.t.Logf("  webhook deliveries: %v", c.hook.counts())
	}
	c.t.Logf("  digest deliveries: %v", c.mailer.snapshot())
}

// wipe removes node i's data dir (it must be stopped).
func (c *testCluster) wipe(i int) {
	if err := os.RemoveAll(filepath.Join(c.root, fmt.Sprintf("n%d", i))); err != nil {
		c.t.Fatal(err)
	}
}

// ids lists the mention ids in node i's store.
func (c *testCluster) ids(i int) []string {
	var out []string
	err := c.nodes[i].st.Range(context.Background(), time.Time{}, time.Unix(1<<40, 0), func(m store.Mention) error {
		out = append(out, m.ID)
		return nil
	})
	if err != nil {
		c.t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// waitFor polls cond every 20ms until it holds or ctx ends.
func waitFor(ctx context.Context, t testing.TB, what string, cond func() bool) {
	t.Helper()
	last := time.Now()
	for !cond() {
		if time.Since(last) > 5*time.Second {
			t.Logf("still waiting for %s", what)
			last = time.Now()
		}
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// holders maps each source to the live nodes holding its lease.
func (c *testCluster) holders() map[string][]int {
	out := map[string][]int{}
	for _, s := range c.srcs {
		for _, tn := range c.nodes {
			if tn != nil && tn.node.Holds(KindSource, s.name) {
				out[s.name] = append(out[s.name], tn.i)
			}
		}
	}
	return out
}
