package alerts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// Gate makes delivery singleton across the nodes of a cluster (nil when
// this node runs alone). Every node decides alerts from its own commits,
// but only the node for which Sending is true delivers; the ledger behind
// Claim and Settle tells the next sender what an earlier one delivered.
type Gate interface {
	// Sending reports whether this node is the one sender now.
	Sending() bool
	// Lookup returns the ledger's entry matching c (nil when none).
	Lookup(ctx context.Context, c Claim) (*Claimed, error)
	// Claim returns the entry matching c, or, when there is none, records
	// c as being sent (status "sending", c.Key) and returns nil.
	Claim(ctx context.Context, c Claim) (*Claimed, error)
	// Settle records the outcome of c's send (a Status*).
	Settle(ctx context.Context, c Claim, status, where string) error
}

// Claim is one delivery as the cluster knows it: the same alert decided
// on two nodes has the same Subject and At values within Within of each
// other (each node stamps it with its own commit time).
type Claim struct {
	Subject string
	At      time.Time
	Within  time.Duration
	Key     string // this node's idempotency key
}

// Claimed is a ledger entry: who sent (or is sending) a delivery, with
// which idempotency key.
type Claimed struct {
	Status string    `json:"status"` // "sending" or a final or retrying Status*
	Key    string    `json:"key"`
	Node   string    `json:"node"`
	Where  string    `json:"where,omitempty"`
	At     time.Time `json:"at"`
}

// StatusSending is a ledger entry whose send began and whose outcome is not
// recorded yet (the sender may have died between the two).
const StatusSending = "sending"

// final reports whether a ledger status ends a delivery.
func final(status string) bool { return status == StatusDelivered || status == StatusFailed }

// Match windows of claims (see Claim.Within).
const (
	// perMentionWithin: a query or owned-post alert names its mention, which
	// fires at most once while fresh (48 h) on each node.
	perMentionWithin = 48 * time.Hour
	// rollupWithin: quiet hours are one window a day, so one roll-up per
	// channel per day.
	rollupWithin = 6 * time.Hour
	// minWithin: the least window for episode alerts (spike, source), far
	// above the replication lag between two nodes' decisions.
	minWithin = time.Minute
)

// claimOf is the cluster identity of job j on its records: channel, rule,
// state, brand, network, source, and the mention of a per-mention alert;
// episode alerts of one group are a cooldown apart on every node, so two
// nodes' decisions within half of it are one alert.
func claimOf(rs *ruleSet, recs []*Record, j job) Claim {
	if j.Rollup || len(recs) != 1 {
		return Claim{Subject: "rollup\x00" + j.Channel, At: j.Queued, Within: rollupWithin, Key: j.Key}
	}
	a := recs[0].Alert
	parts := []string{j.Channel, a.Rule, string(a.State), a.Brand, a.Network, a.Source}
	within := minWithin
	var r *rule
	for _, x := range rs.rules {
		if x.Name == a.Rule {
			r = x
		}
	}
	switch {
	case r != nil && (r.Kind == config.AlertQuery || r.Kind == config.AlertCompetitor && r.Trigger == config.CompetitorOwned) && len(a.Posts) > 0:
		parts = append(parts, a.Posts[0].ID)
		within = perMentionWithin
	case r != nil:
		within = max(within, r.Cooldown.Std()/2)
	}
	return Claim{Subject: strings.Join(parts, "\x00"), At: a.At, Within: within, Key: j.Key}
}

// gated handles a due job under the gate: a node that is not the sender
// only copies a final outcome from the ledger; the sender skips what the
// ledger says was delivered, continues a send another sender began (with
// its idempotency key: a crash between a receiver's answer and the ledger
// write is the one resend, as on one node), or claims the send. send
// reports whether to send now, with which key.
func (e *Engine) gated(ctx context.Context, rs *ruleSet, p pending) (send bool, c Claim, err error) {
	recs, err := e.loadRecords(p.job.Alerts)
	if err != nil {
		return false, c, err
	}
	c = claimOf(rs, recs, p.job)
	var prior *Claimed
	if e.opts.Gate.Sending() {
		prior, err = e.opts.Gate.Claim(ctx, c)
	} else {
		prior, err = e.opts.Gate.Lookup(ctx, c)
	}
	if err != nil {
		return false, c, fmt.Errorf("alerts: delivery ledger: %w", err)
	}
	switch {
	case prior != nil && final(prior.Status):
		where := prior.Where
		if where == "" {
			where = "sent by " + prior.Node
		}
		return false, c, e.settleLocal(p, prior.Key, prior.Status, where)
	case !e.opts.Gate.Sending():
		return false, c, nil // the sender delivers it; this node copies the outcome later
	case prior != nil:
		c.Key = prior.Key // a send begun by an earlier sender: the same key
	}
	return true, c, nil
}

// settleLocal records on this node an outcome another node reached, and
// drops the job.
func (e *Engine) settleLocal(p pending, key, status, where string) error {
	now := e.clock()
	return e.st.OutboxUpdate(func(tx *store.OutboxTx) error {
		for _, seq := range p.job.Alerts {
			rec, err := loadRecord(tx, seq)
			if err != nil {
				return err
			}
			if rec == nil {
				continue
			}
			d := rec.Deliveries[p.job.Channel]
			if d == nil {
				d = &Delivery{}
				rec.Deliveries[p.job.Channel] = d
			}
			d.Status, d.Key, d.Where, d.At = status, key, where, now
			if err := saveRecord(tx, rec); err != nil {
				return err
			}
		}
		return tx.Delete(bucketQueue, p.key)
	})
}
