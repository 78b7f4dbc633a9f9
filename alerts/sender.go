package alerts

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/store"
)

// Run delivers queued alerts until ctx ends: at once when a commit queued
// one, retries when due, and every Tick it checks ended spikes, source
// rules and quiet hours. Deliveries left queued by a crash are sent on the
// first pass, with the idempotency key they were queued with.
func (e *Engine) Run(ctx context.Context) error {
	t := time.NewTicker(e.opts.Tick)
	defer t.Stop()
	var pruned time.Time
	for {
		if err := e.maintain(); err != nil && ctx.Err() == nil {
			e.log.Error().Err(err).Msg("alerts: periodic check failed")
		}
		if now := e.clock(); now.Sub(pruned) >= 24*time.Hour {
			if _, err := e.Prune(now.Add(-HistoryKept)); err != nil && ctx.Err() == nil {
				e.log.Warn().Err(err).Msg("alerts: history prune failed")
			}
			pruned = now
		}
		next, err := e.Flush(ctx)
		if err != nil && ctx.Err() == nil {
			e.log.Error().Err(err).Msg("alerts: delivery pass failed")
		}
		var due <-chan time.Time
		var timer *time.Timer
		if !next.IsZero() {
			timer = time.NewTimer(max(next.Sub(e.clock()), time.Millisecond))
			due = timer.C
		}
		select {
		case <-ctx.Done():
		case <-e.wake:
		case <-t.C:
		case <-due:
		}
		if timer != nil {
			timer.Stop()
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}

// HistoryKept is how long alerts stay in the history once their
// deliveries are done (pruned daily by Run).
const HistoryKept = 90 * 24 * time.Hour

// pending is one due job read from the queue.
type pending struct {
	key []byte
	job job
}

// Flush sends every due delivery once and returns when the next retry is
// due (zero when none waits).
func (e *Engine) Flush(ctx context.Context) (next time.Time, err error) {
	rs := e.rules.Load()
	if rs == nil {
		return time.Time{}, nil
	}
	now := e.clock()
	if g := e.opts.Gate; g != nil && !g.Sending() {
		// Not the sender: copy outcomes from the ledger once per Tick,
		// not on every commit's wake-up.
		if now.Sub(e.reconciled) < e.opts.Tick && !e.reconciled.After(now) {
			return time.Time{}, nil
		}
		e.reconciled = now
	}
	var due []pending
	err = e.st.OutboxView(func(tx *store.OutboxTx) error {
		return tx.Scan(bucketQueue, nil, false, func(k, v []byte) (bool, error) {
			var j job
			if _, err := getJSON(tx, bucketQueue, k, &j); err != nil {
				return false, err
			}
			if j.NextAt.After(now) {
				if next.IsZero() || j.NextAt.Before(next) {
					next = j.NextAt
				}
				return true, nil
			}
			due = append(due, pending{key: append([]byte(nil), k...), job: j})
			return len(due) < 100, nil
		})
	})
	if err != nil {
		return next, err
	}
	for _, p := range due {
		if ctx.Err() != nil {
			return next, ctx.Err()
		}
		if err := e.send(ctx, rs, p); err != nil {
			return next, err
		}
	}
	if len(due) == 100 && (e.opts.Gate == nil || e.opts.Gate.Sending()) {
		next = now
	}
	return next, nil
}

// send delivers one job and records the outcome.
func (e *Engine) send(ctx context.Context, rs *ruleSet, p pending) error {
	var claim Claim
	if e.opts.Gate != nil {
		ok, c, err := e.gated(ctx, rs, p)
		if err != nil || !ok {
			return err
		}
		claim, p.job.Key = c, c.Key
	}
	recs, err := e.prepare(ctx, rs, p.job)
	if err != nil {
		return err
	}
	ch := rs.channels[p.job.Channel]
	var where string
	var sendErr error
	switch {
	case ch == nil:
		sendErr = &notify.Error{Err: fmt.Errorf("channel %q is no longer configured", p.job.Channel), Permanent: true}
	case len(recs) == 0:
	default:
		msg := render(rs, ch, recs, p.job)
		msg.Sent = e.clock()
		where, sendErr = ch.n.Deliver(ctx, msg)
	}
	now := e.clock()
	j := p.job
	j.Attempts++
	status, errText := StatusDelivered, ""
	done := true
	if sendErr != nil {
		errText = sendErr.Error()
		status = StatusFailed
		if !notify.IsPermanent(sendErr) && j.Attempts < e.opts.MaxAttempts {
			status, done = StatusRetrying, false
			j.NextAt = now.Add(e.backoff(j.Attempts))
		}
	}
	if e.opts.Gate != nil {
		// The ledger first: a crash before the local record leaves a
		// delivery the ledger knows, so it is not sent again.
		if err := e.opts.Gate.Settle(ctx, claim, status, where); err != nil {
			return fmt.Errorf("alerts: delivery ledger: %w", err)
		}
	}
	return e.st.OutboxUpdate(func(tx *store.OutboxTx) error {
		e.stats.delivery(p.job.Channel, status)
		for _, seq := range j.Alerts {
			rec, err := loadRecord(tx, seq)
			if err != nil {
				return err
			}
			if rec == nil {
				continue
			}
			d := rec.Deliveries[j.Channel]
			if d == nil {
				d = &Delivery{}
				rec.Deliveries[j.Channel] = d
			}
			d.Status, d.Attempts, d.Error, d.At, d.Key = status, j.Attempts, errText, now, j.Key
			if where != "" {
				d.Where = where
			}
			if err := saveRecord(tx, rec); err != nil {
				return err
			}
		}
		if done {
			return tx.Delete(bucketQueue, p.key)
		}
		return putJSON(tx, bucketQueue, p.key, j)
	})
}

// backoff is the delay after the nth failed attempt.
func (e *Engine) backoff(n int) time.Duration {
	d := e.opts.Backoff
	for i := 1; i < n && d < e.opts.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, e.opts.MaxBackoff)
}

// prepare loads the job's records, explaining each once (the explanation
// is saved before the first send, so retries carry the same message).
func (e *Engine) prepare(ctx context.Context, rs *ruleSet, j job) ([]*Record, error) {
	recs, err := e.loadRecords(j.Alerts)
	if err != nil {
		return nil, err
	}
	var changed []*Record
	for _, rec := range recs {
		if rec.Explained {
			continue
		}
		e.explain(ctx, rs, rec)
		rec.Explained = true
		changed = append(changed, rec)
	}
	if len(changed) == 0 {
		return recs, nil
	}
	return recs, e.st.OutboxUpdate(func(tx *store.OutboxTx) error {
		for _, rec := range changed {
			cur, err := loadRecord(tx, rec.Seq)
			if err != nil || cur == nil {
				return err
			}
			cur.Alert, cur.Explained = rec.Alert, true
			if err := saveRecord(tx, cur); err != nil {
				return err
			}
		}
		return nil
	})
}

// rollupKey is the idempotency key of a quiet-hours roll-up.
func rollupKey(seqs []uint64, channel string) string {
	h := sha256.New()
	for _, s := range seqs {
		_ = binary.Write(h, binary.BigEndian, s)
	}
	return "rollup-" + hex.EncodeToString(h.Sum(nil)[:12]) + "." + channel
}
