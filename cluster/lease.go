package cluster

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/earshot/earshot/alerts"
)

// Lease kinds: the first part of a lease key.
const (
	KindSource = "source" // one per configured source
	KindDigest = "digest" // the weekly digest: one sender
	KindAlerts = "alerts" // alert delivery: one sender
)

// LeaseKey is the KV key of the lease on name of kind (names are base64url
// encoded: source names may hold any character, KV keys may not).
func LeaseKey(kind, name string) string {
	return kind + "." + base64.RawURLEncoding.EncodeToString([]byte(name))
}

// parseLeaseKey undoes LeaseKey.
func parseLeaseKey(key string) (kind, name string) {
	kind, enc, _ := strings.Cut(key, ".")
	b, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return kind, enc
	}
	return kind, string(b)
}

// member is a node's heartbeat in the nodes bucket.
type member struct {
	Node        string    `json:"node"`
	Hash        string    `json:"hash"`
	Started     time.Time `json:"started"`
	Seen        time.Time `json:"seen"`
	Version     string    `json:"version,omitempty"`
	Incarnation string    `json:"incarnation"`
	Refused     string    `json:"refused,omitempty"`
	// Sources are the states of the sources the node polls (SourceStates).
	Sources []alerts.SourceState `json:"sources,omitempty"`
}

// leaseRecord is a lease's value.
type leaseRecord struct {
	Node    string    `json:"node"`
	Renewed time.Time `json:"renewed"`
}

type held struct {
	rev      uint64
	deadline time.Time // monotonic: start of the last successful write + TTL
}

type leaseState struct {
	mu       sync.Mutex
	wanted   map[string]map[string]bool // kind → keys
	held     map[string]*held
	seenFree map[string]bool
	refused  string
	members  []member
	onAcq    func(kind, name string)
}

// OnAcquire sets fn to be called (in its own goroutine) each time this
// node acquires a lease: the daemon polls a source at once rather than at
// its next scheduled time.
func (n *Node) OnAcquire(fn func(kind, name string)) {
	n.lease.mu.Lock()
	n.lease.onAcq = fn
	n.lease.mu.Unlock()
}

func (s *leaseState) init() {
	s.wanted, s.held, s.seenFree = map[string]map[string]bool{}, map[string]*held{}, map[string]bool{}
}

// Want sets the names of kind this node competes for (replacing the
// previous set of that kind: a reload drops removed sources).
func (n *Node) Want(kind string, names ...string) {
	keys := map[string]bool{}
	for _, nm := range names {
		keys[LeaseKey(kind, nm)] = true
	}
	n.lease.mu.Lock()
	n.lease.wanted[kind] = keys
	n.lease.mu.Unlock()
}

// Holds reports whether this node holds the lease on name of kind now.
func (n *Node) Holds(kind, name string) bool {
	return n.holdsKey(LeaseKey(kind, name))
}

func (n *Node) holdsKey(key string) bool {
	n.lease.mu.Lock()
	defer n.lease.mu.Unlock()
	h := n.lease.held[key]
	return h != nil && n.lease.refused == "" && time.Now().Before(h.deadline)
}

// Refused is why this node takes no leases ("" when it takes them).
func (n *Node) Refused() string {
	n.lease.mu.Lock()
	defer n.lease.mu.Unlock()
	return n.lease.refused
}

// tick is how often leases are renewed and free ones looked for.
func (n *Node) tick() time.Duration { return n.ttl / 4 }

// Run announces the node and keeps its leases until ctx ends, then
// releases them (so another node takes over at once) and leaves.
func (n *Node) Run(ctx context.Context) error {
	var renewing sync.WaitGroup
	rctx, stopRenewing := context.WithCancel(ctx)
	renewing.Go(func() { n.renewLoop(rctx) })
	t := time.NewTicker(n.tick())
	defer t.Stop()
	for {
		n.round(ctx)
		select {
		case <-ctx.Done():
			stopRenewing()
			renewing.Wait()
			n.leave()
			return nil
		case <-t.C:
		}
	}
}

// renewLoop renews the held leases every tick until ctx ends, apart from
// the rounds that look for free ones: a slow server (or a starved
// process) delays a renewal by its own round trip, not by a round's
// lookups, and the renewals go together, each with until its lease's
// deadline.
func (n *Node) renewLoop(ctx context.Context) {
	t := time.NewTicker(n.tick())
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n.renewHeld(ctx)
	}
}

// round is one heartbeat and one pass over the wanted leases that are
// not held (renewLoop keeps the held ones).
func (n *Node) round(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, max(n.tick(), n.ttl/2))
	defer cancel()
	me := n.heartbeat(ctx)
	hash := me.Hash
	members, err := n.members(ctx)
	if err != nil {
		n.log.Debug().Err(err).Msg("cluster: cannot list nodes")
		return
	}
	if !slices.ContainsFunc(members, func(m member) bool { return m.Node == n.name }) {
		members = append(members, me) // the heartbeat is not visible yet
	}
	want, reason := agreedHash(members)
	if want != hash {
		reason = "config hash " + hash + " differs from " + want + " " + reason +
			": every node must read the same config (node-local keys excepted); this node takes no leases"
	} else {
		reason = ""
	}
	n.lease.mu.Lock()
	n.lease.members = members
	changed := n.lease.refused != reason
	n.lease.refused = reason
	n.lease.mu.Unlock()
	if changed && reason != "" {
		n.log.Error().Str("reason", reason).Msg("cluster: refusing leases")
	} else if changed {
		n.log.Info().Msg("cluster: config hash agrees again; taking leases")
	}
	if changed { // `earshot status` shows why at once, not a round later
		n.heartbeat(ctx)
	}
	if reason != "" {
		n.releaseAll(ctx)
		return
	}
	var live []string
	for _, m := range members {
		if m.Hash == want {
			live = append(live, m.Node)
		}
	}
	n.lease.mu.Lock()
	keys := map[string]bool{}
	for _, ks := range n.lease.wanted {
		maps.Copy(keys, ks)
	}
	var drop []string
	for k := range n.lease.held {
		if !keys[k] {
			drop = append(drop, k)
		}
	}
	n.lease.mu.Unlock()
	drop = append(drop, n.surplus(keys, live, assign(keys, live))...)
	for _, k := range drop {
		n.release(ctx, k)
	}
	pref := assign(keys, live)
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if ctx.Err() != nil {
			return
		}
		n.lease.mu.Lock()
		h := n.lease.held[k]
		n.lease.mu.Unlock()
		if h == nil {
			n.acquire(ctx, k, pref[k] == n.name)
		}
	}
}

// heartbeat announces this node: its config hash and why it refuses
// leases, if it does.
func (n *Node) heartbeat(ctx context.Context) member {
	n.lease.mu.Lock()
	refused, hash := n.lease.refused, n.o.Hash
	n.lease.mu.Unlock()
	me := member{Node: n.name, Hash: hash, Started: n.started, Seen: n.o.Clock(), Version: n.o.Version,
		Incarnation: n.incarnation, Refused: refused, Sources: n.heldSources()}
	if b, err := json.Marshal(me); err == nil {
		if _, err := n.kv.nodes.Put(ctx, n.name, b); err != nil {
			n.log.Debug().Err(err).Msg("cluster heartbeat failed")
		}
	}
	return me
}

// surplus picks one source lease to hand over when this node holds more
// than its fair share (ceil(sources/live nodes)) and another live node is
// that source's preferred holder: leases spread over the nodes, one per
// round, and the preferred node takes it at once.
func (n *Node) surplus(keys map[string]bool, live []string, pref map[string]string) []string {
	n.lease.mu.Lock()
	defer n.lease.mu.Unlock()
	var sources, mine []string
	for k := range keys {
		if kind, _ := parseLeaseKey(k); kind == KindSource {
			sources = append(sources, k)
			if n.lease.held[k] != nil {
				mine = append(mine, k)
			}
		}
	}
	if len(live) == 0 {
		return nil
	}
	fair := (len(sources) + len(live) - 1) / len(live)
	if len(mine) <= fair {
		return nil
	}
	slices.Sort(mine)
	for _, k := range mine {
		if p := pref[k]; p != n.name {
			return []string{k}
		}
	}
	return nil
}

// renewHeld renews every held lease, concurrently.
func (n *Node) renewHeld(ctx context.Context) {
	n.lease.mu.Lock()
	keys := slices.Collect(maps.Keys(n.lease.held))
	n.lease.mu.Unlock()
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Go(func() { n.renew(ctx, k) })
	}
	wg.Wait()
}

// renew writes key again on the revision last written, with until the
// lease's deadline (a later success would not make it held again). A
// revision mismatch whose value is still this node's record is a renewal
// that landed after its reply was lost (a timeout): adopted, and written
// again on its revision. The lease is lost when another node's record is
// there, the key is gone, or the deadline passed.
func (n *Node) renew(ctx context.Context, key string) {
	n.lease.mu.Lock()
	h := n.lease.held[key]
	var rev uint64
	var deadline time.Time
	if h != nil {
		rev, deadline = h.rev, h.deadline
	}
	n.lease.mu.Unlock()
	if h == nil {
		return
	}
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	rec, _ := json.Marshal(leaseRecord{Node: n.name, Renewed: n.o.Clock()})
	start := time.Now()
	nrev, err := n.kv.leases.Update(ctx, key, rec, rev)
	if errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
		if e, gerr := n.kv.leases.Get(ctx, key); gerr == nil && n.ownRecord(e.Value()) {
			start = time.Now()
			nrev, err = n.kv.leases.Update(ctx, key, rec, e.Revision())
		}
	}
	n.lease.mu.Lock()
	defer n.lease.mu.Unlock()
	if n.lease.held[key] != h {
		return // released meanwhile
	}
	switch {
	case err == nil:
		h.rev, h.deadline = nrev, start.Add(n.ttl)
	case errors.Is(err, jetstream.ErrKeyRevisionMismatch) || errors.Is(err, jetstream.ErrKeyNotFound) || time.Now().After(h.deadline):
		delete(n.lease.held, key)
		kind, name := parseLeaseKey(key)
		n.log.Warn().Err(err).Str("kind", kind).Str("name", name).Msg("cluster: lease lost")
	}
}

// ownRecord reports whether a lease value is this node's record.
func (n *Node) ownRecord(v []byte) bool {
	var cur leaseRecord
	return json.Unmarshal(v, &cur) == nil && cur.Node == n.name
}

// acquire takes key when free and this node is its preferred holder or
// saw it free on the previous round, or adopts it when it holds this
// node's record (written before a restart, or a write whose reply was
// lost).
func (n *Node) acquire(ctx context.Context, key string, preferredHere bool) {
	rec, _ := json.Marshal(leaseRecord{Node: n.name, Renewed: n.o.Clock()})
	start := time.Now()
	e, err := n.kv.leases.Get(ctx, key)
	free := errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted)
	var rev uint64
	switch {
	case err == nil:
		if n.ownRecord(e.Value()) {
			rev, err = n.kv.leases.Update(ctx, key, rec, e.Revision())
		} else {
			err = errHeldElsewhere
		}
	case free && (preferredHere || n.seenFree(key)):
		rev, err = n.kv.leases.Create(ctx, key, rec)
	case free:
		err = errHeldElsewhere
	}
	n.lease.mu.Lock()
	defer n.lease.mu.Unlock()
	n.lease.seenFree[key] = free && err != nil
	if err == nil {
		n.lease.held[key] = &held{rev: rev, deadline: start.Add(n.ttl)}
		kind, name := parseLeaseKey(key)
		n.log.Info().Str("kind", kind).Str("name", name).Msg("cluster: lease acquired")
		if fn := n.lease.onAcq; fn != nil {
			go fn(kind, name)
		}
	}
}

var errHeldElsewhere = errors.New("held elsewhere")

func (n *Node) seenFree(key string) bool {
	n.lease.mu.Lock()
	defer n.lease.mu.Unlock()
	return n.lease.seenFree[key]
}

// release deletes key if this node still holds it (by revision).
func (n *Node) release(ctx context.Context, key string) {
	n.lease.mu.Lock()
	h := n.lease.held[key]
	delete(n.lease.held, key)
	n.lease.mu.Unlock()
	if h == nil {
		return
	}
	err := n.kv.leases.Delete(ctx, key, jetstream.LastRevision(h.rev))
	if errors.Is(err, jetstream.ErrKeyRevisionMismatch) { // a renewal landed meanwhile
		if cur, gerr := n.kv.leases.Get(ctx, key); gerr == nil && n.ownRecord(cur.Value()) {
			_ = n.kv.leases.Delete(ctx, key, jetstream.LastRevision(cur.Revision()))
		}
	}
}

func (n *Node) releaseAll(ctx context.Context) {
	n.lease.mu.Lock()
	keys := slices.Collect(maps.Keys(n.lease.held))
	n.lease.mu.Unlock()
	for _, k := range keys {
		n.release(ctx, k)
	}
}

// leave releases every lease and removes the heartbeat (a clean stop).
func (n *Node) leave() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	n.releaseAll(ctx)
	_ = n.kv.nodes.Delete(ctx, n.name)
}

// kvKeys is kv.Keys that returns when ctx ends: jetstream's Keys waited
// on its watcher for 9 minutes after the context was cancelled while its
// node was being closed (CI, a loaded machine), and the node's Close
// waited for it. The call it leaves behind ends with the connection.
func kvKeys(ctx context.Context, kv jetstream.KeyValue) ([]string, error) {
	type result struct {
		keys []string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		keys, err := kv.Keys(ctx)
		done <- result{keys, err}
	}()
	select {
	case r := <-done:
		return r.keys, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// members lists the live nodes' heartbeats, sorted by name.
func (n *Node) members(ctx context.Context) ([]member, error) {
	keys, err := kvKeys(ctx, n.kv.nodes)
	if errors.Is(err, jetstream.ErrNoKeysFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []member
	for _, k := range keys {
		e, err := n.kv.nodes.Get(ctx, k)
		if err != nil {
			continue // expired meanwhile
		}
		var m member
		if json.Unmarshal(e.Value(), &m) == nil {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b member) int { return strings.Compare(a.Node, b.Node) })
	return out, nil
}

// agreedHash is the config hash most live nodes run; a tie goes to the
// hash of the longest-running node (then the lowest name). why names the
// nodes that run it.
func agreedHash(ms []member) (hash, why string) {
	count := map[string]int{}
	for _, m := range ms {
		count[m.Hash]++
	}
	var best *member
	for i := range ms {
		m := &ms[i]
		if best == nil || count[m.Hash] > count[best.Hash] ||
			count[m.Hash] == count[best.Hash] && (m.Started.Before(best.Started) || m.Started.Equal(best.Started) && m.Node < best.Node) {
			best = m
		}
	}
	if best == nil {
		return "", ""
	}
	var by []string
	for _, m := range ms {
		if m.Hash == best.Hash {
			by = append(by, m.Node)
		}
	}
	return best.Hash, "run by " + strings.Join(by, ", ")
}

// assign names the preferred holder of each key: the keys of each kind,
// sorted, dealt round the live nodes (sorted) in turn. Every node computes
// the same assignment from the same heartbeats, and each gets its share.
func assign(keys map[string]bool, live []string) map[string]string {
	out := map[string]string{}
	if len(live) == 0 {
		return out
	}
	live = slices.Sorted(slices.Values(live))
	turn := map[string]int{}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		kind, _ := parseLeaseKey(k)
		if _, ok := turn[kind]; !ok {
			h := fnv.New32a()
			h.Write([]byte(kind))
			turn[kind] = int(h.Sum32() % uint32(len(live))) // kinds start on different nodes
		}
		out[k] = live[turn[kind]%len(live)]
		turn[kind]++
	}
	return out
}

// Singleton runs fn while this node holds the lease on name of kind
// (competing for it meanwhile), cancelling fn's context as soon as the
// lease is lost; it returns when ctx ends. fn must record what it has done
// where the next holder reads it (the digest Ledger).
func (n *Node) Singleton(ctx context.Context, kind, name string, fn func(context.Context) error) {
	n.Want(kind, name)
	check := min(100*time.Millisecond, n.tick())
	t := time.NewTicker(check)
	defer t.Stop()
	for {
		for !n.Holds(kind, name) {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
		n.log.Info().Str("kind", kind).Str("name", name).Msg("cluster: running as the one sender")
		lctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- fn(lctx) }()
	watch:
		for {
			select {
			case err := <-done:
				if err != nil && ctx.Err() == nil {
					n.log.Error().Err(err).Str("kind", kind).Msg("cluster: singleton failed")
				}
				break watch
			case <-t.C:
				if !n.Holds(kind, name) {
					cancel()
				}
			}
		}
		cancel()
		select { // a fn that returns at once is not run in a tight loop
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SetHash changes the config hash this node announces (after a reload).
func (n *Node) SetHash(h string) {
	n.lease.mu.Lock()
	n.o.Hash = h
	n.lease.mu.Unlock()
}
