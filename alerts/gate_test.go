package alerts

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// memLedger is a cluster's delivery ledger in memory, shared by the gates
// of two fixtures (two nodes); sender names the node that may send.
type memLedger struct {
	mu         sync.Mutex
	entries    map[string][]Claimed
	sender     string
	failSettle bool // the sender dies between the receiver's answer and the ledger write
}

type memGate struct {
	l    *memLedger
	node string
}

func (g memGate) Sending() bool { g.l.mu.Lock(); defer g.l.mu.Unlock(); return g.l.sender == g.node }

func (g memGate) find(c Claim) int {
	for i, e := range g.l.entries[c.Subject] {
		if e.At.Sub(c.At).Abs() <= c.Within {
			return i
		}
	}
	return -1
}

func (g memGate) Lookup(_ context.Context, c Claim) (*Claimed, error) {
	g.l.mu.Lock()
	defer g.l.mu.Unlock()
	if i := g.find(c); i >= 0 {
		e := g.l.entries[c.Subject][i]
		return &e, nil
	}
	return nil, nil
}

func (g memGate) Claim(_ context.Context, c Claim) (*Claimed, error) {
	g.l.mu.Lock()
	defer g.l.mu.Unlock()
	if i := g.find(c); i >= 0 {
		e := g.l.entries[c.Subject][i]
		return &e, nil
	}
	g.l.entries[c.Subject] = append(g.l.entries[c.Subject], Claimed{Status: StatusSending, Key: c.Key, Node: g.node, At: c.At})
	return nil, nil
}

func (g memGate) Settle(_ context.Context, c Claim, status, where string) error {
	g.l.mu.Lock()
	defer g.l.mu.Unlock()
	if g.l.failSettle {
		return errors.New("node died")
	}
	i := g.find(c)
	if i < 0 {
		return errors.New("settle without a claim")
	}
	g.l.entries[c.Subject][i] = Claimed{Status: status, Key: c.Key, Node: g.node, Where: where, At: c.At}
	return nil
}

// TestGateOneSenderAcrossNodes: two nodes decide the same alert; only the
// sender delivers it and the other copies the outcome from the ledger; an
// alert whose sender died between the receiver's answer and the ledger
// write is sent again by the next sender with the first sender's key.
func TestGateOneSenderAcrossNodes(t *testing.T) {
	l := &memLedger{entries: map[string][]Claimed{}, sender: "a"}
	rule := strings.Replace(queryRule, `channels = ["hook", "slack"]`, `channels = ["hook"]`, 1) // one job per alert
	a, b := newFixture(t, rule), newFixture(t, rule)
	a.e.opts.Gate, b.e.opts.Gate = memGate{l, "a"}, memGate{l, "b"}
	m := hit(t0.Add(-time.Minute))
	a.commit(m)
	b.clk.Set(t0.Add(200 * time.Millisecond)) // b commits it a little later
	b.commit(m)
	b.flush() // not the sender, nothing in the ledger yet: it waits
	if n := len(b.hook.got()); n != 0 || b.list()[0].Deliveries["hook"].Status != StatusQueued {
		t.Fatalf("the other node sent %d, record %+v", n, b.list()[0].Deliveries["hook"])
	}
	a.flush()
	b.clk.Set(t0.Add(time.Minute)) // its next pass, a Tick later
	b.flush()
	if na, nb := len(a.hook.got()), len(b.hook.got()); na != 1 || nb != 0 {
		t.Fatalf("webhook deliveries: sender %d, other %d; want 1 and 0", na, nb)
	}
	for name, f := range map[string]*fixture{"a": a, "b": b} {
		h := f.list()
		if len(h) != 1 || h[0].Status != StatusDelivered {
			t.Fatalf("%s: history %+v, want one delivered", name, h)
		}
	}
	if d := b.list()[0].Deliveries["hook"]; d.Where != "sent by a" || d.Key != a.list()[0].Deliveries["hook"].Key {
		t.Errorf("b's record %+v: want sent by a, with a's key", d)
	}

	// a sends the next alert and dies before the ledger hears of it.
	m2 := hit(t0.Add(-time.Minute))
	m2.Network, m2.ID = "y", "y:"+m2.NativeID
	l.failSettle = true
	a.commit(m2)
	b.commit(m2)
	if _, err := a.e.Flush(context.Background()); err == nil {
		t.Fatal("the sender's ledger write failed, Flush said nothing")
	}
	first := a.hook.got()[1].Key
	l.mu.Lock()
	l.failSettle, l.sender = false, "b"
	l.mu.Unlock()
	b.flush()
	got := b.hook.got()
	if len(got) != 1 || got[0].Key != first {
		t.Fatalf("b sent %d, keys %v; want the resend with a's key %q", len(got), b.hook.keys, first)
	}
	if s := b.list()[0]; s.Status != StatusDelivered {
		t.Errorf("b's record of the resent alert: %+v", s)
	}
}
