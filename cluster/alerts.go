package cluster

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/earshot/earshot/alerts"
)

// AlertsLease is the name of the alert delivery lease (kind KindAlerts).
const AlertsLease = "delivery"

// alertEntriesKept bounds the entries of one ledger key (one per
// delivery of the same subject: a rule × brand × network fires at most
// once per cooldown, so these reach back weeks).
const alertEntriesKept = 64

// AlertGate is the alert delivery gate (alerts.Gate): this node sends only
// while it holds the alerts lease, and the delivery records are in the
// ledger bucket, one key per claim subject.
type AlertGate struct{ n *Node }

// AlertGate makes this node compete for the alerts lease and returns the
// gate over it.
func (n *Node) AlertGate() AlertGate {
	n.Want(KindAlerts, AlertsLease)
	return AlertGate{n}
}

// alertLedger is the value of one subject's key.
type alertLedger struct {
	Subject string           `json:"subject"`
	Entries []alerts.Claimed `json:"entries"`
}

func alertKey(subject string) string {
	h := sha256.Sum256([]byte(subject))
	return "alert." + hex.EncodeToString(h[:16])
}

// Sending implements alerts.Gate.
func (g AlertGate) Sending() bool { return g.n.Holds(KindAlerts, AlertsLease) }

// Lookup implements alerts.Gate.
func (g AlertGate) Lookup(ctx context.Context, c alerts.Claim) (*alerts.Claimed, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	l, err := g.read(ctx, c.Subject)
	if err != nil {
		return nil, err
	}
	if i := matchClaim(l.Entries, c); i >= 0 {
		return &l.Entries[i], nil
	}
	return nil, nil
}

// Claim implements alerts.Gate: the intent is written by compare-and-set,
// so of two senders racing (a lease handed over mid-send) one claims and
// the other sees its claim.
func (g AlertGate) Claim(ctx context.Context, c alerts.Claim) (*alerts.Claimed, error) {
	var prior *alerts.Claimed
	err := g.update(ctx, c.Subject, func(l *alertLedger) bool {
		if i := matchClaim(l.Entries, c); i >= 0 {
			prior = &l.Entries[i]
			return false
		}
		l.Entries = append(l.Entries, alerts.Claimed{Status: alerts.StatusSending, Key: c.Key, Node: g.n.name, At: c.At})
		return true
	})
	return prior, err
}

// Settle implements alerts.Gate. It runs even when ctx has ended (the
// send happened: its record must not be lost to a shutdown).
func (g AlertGate) Settle(ctx context.Context, c alerts.Claim, status, where string) error {
	return g.update(context.WithoutCancel(ctx), c.Subject, func(l *alertLedger) bool {
		e := alerts.Claimed{Status: status, Key: c.Key, Node: g.n.name, Where: where, At: c.At}
		if i := matchClaim(l.Entries, c); i >= 0 {
			e.At = l.Entries[i].At
			l.Entries[i] = e
		} else {
			l.Entries = append(l.Entries, e)
		}
		return true
	})
}

// matchClaim is the index of the entry of c (At within c.Within; the nearest
// wins), or -1.
func matchClaim(es []alerts.Claimed, c alerts.Claim) int {
	best, bestD := -1, time.Duration(0)
	for i, e := range es {
		d := e.At.Sub(c.At).Abs()
		if d <= c.Within && (best < 0 || d < bestD) {
			best, bestD = i, d
		}
	}
	return best
}

func (g AlertGate) read(ctx context.Context, subject string) (alertLedger, error) {
	l := alertLedger{Subject: subject}
	_, err := getJSON(ctx, g.n.kv.ledger, alertKey(subject), "alert ledger", &l)
	return l, err
}

// update applies f to the subject's ledger by compare-and-set, retrying
// on a lost race; f returns false to write nothing.
func (g AlertGate) update(ctx context.Context, subject string, f func(*alertLedger) bool) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return updateJSON(ctx, g.n.kv.ledger, alertKey(subject), "alert ledger", func(l *alertLedger) (bool, error) {
		l.Subject = subject
		if !f(l) {
			return false, nil
		}
		if len(l.Entries) > alertEntriesKept {
			l.Entries = l.Entries[len(l.Entries)-alertEntriesKept:]
		}
		return true, nil
	})
}
