package alerts

import (
	"time"

	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/store"
)

// maxSuppressedPosts bounds the posts a suppressed record keeps.
const maxSuppressedPosts = 10

func loadGroup(tx *store.OutboxTx, rule, brand, network string) (*group, []byte, error) {
	key := groupKey(rule, brand, network)
	var g group
	_, err := getJSON(tx, bucketState, key, &g)
	return &g, key, err
}

// inCooldown reports whether a group that last fired at last may not
// fire again at now.
func inCooldown(last, now time.Time, cooldown time.Duration) bool {
	return !last.IsZero() && now.Sub(last) < cooldown
}

// fire records a and routes it to the rule's channels, unless the group's
// cooldown holds it back: then one suppressed record per cooldown counts
// what was held, and the next alert says how many.
func (e *Engine) fire(tx *store.OutboxTx, rs *ruleSet, r *rule, g *group, key []byte, a notify.Alert, now time.Time) error {
	if inCooldown(g.LastFired, now, r.Cooldown.Std()) {
		g.Held++
		e.stats.add(r.Name, StatusSuppressed)
		if rec, err := loadRecord(tx, g.Suppressed); err != nil {
			return err
		} else if rec != nil {
			rec.Alert.Held++
			if len(rec.Alert.Posts) < maxSuppressedPosts {
				rec.Alert.Posts = append(rec.Alert.Posts, a.Posts...)
			}
			if err := saveRecord(tx, rec); err != nil {
				return err
			}
		} else {
			a.Held = 1
			rec, err := record(tx, a, r.Channels, StatusSuppressed, "cooldown", now)
			if err != nil {
				return err
			}
			g.Suppressed = rec.Seq
		}
		return putJSON(tx, bucketState, key, g)
	}
	a.Held, g.Held, g.Suppressed, g.LastFired = g.Held, 0, 0, now
	rec, err := record(tx, a, r.Channels, StatusQueued, "", now)
	if err != nil {
		return err
	}
	g.FiredSeq = rec.Seq
	if err := putJSON(tx, bucketState, key, g); err != nil {
		return err
	}
	e.stats.add(r.Name, "fired")
	return e.route(tx, rs, rec, now)
}

// route queues rec on each of its channels: held in quiet hours, suppressed
// over the daily cap, else queued now.
func (e *Engine) route(tx *store.OutboxTx, rs *ruleSet, rec *Record, now time.Time) error {
	for name, d := range rec.Deliveries {
		ch := rs.channels[name]
		switch {
		case ch == nil:
			d.Status, d.Error = StatusFailed, "channel not configured"
		case ch.Quiet(now, rs.loc):
			d.Status = StatusHeld
			if err := hold(tx, name, rec.Seq); err != nil {
				return err
			}
		default:
			ok, err := takeCap(tx, ch, rs.loc, now)
			if err != nil {
				return err
			}
			if !ok {
				d.Status, d.Reason = StatusSuppressed, "daily cap"
				continue
			}
			d.Key = rec.Alert.ID + "." + name
			if err := enqueue(tx, job{Key: d.Key, Channel: name, Alerts: []uint64{rec.Seq}, NextAt: now, Queued: now}); err != nil {
				return err
			}
		}
	}
	return saveRecord(tx, rec)
}

func enqueue(tx *store.OutboxTx, j job) error {
	k, err := tx.NextSeq(bucketQueue)
	if err != nil {
		return err
	}
	return putJSON(tx, bucketQueue, k, j)
}

func holdKey(channel string) []byte { return []byte("hold\x00" + channel) }

// hold adds seq to the channel's quiet-hours roll-up.
func hold(tx *store.OutboxTx, channel string, seq uint64) error {
	var held []uint64
	if _, err := getJSON(tx, bucketState, holdKey(channel), &held); err != nil {
		return err
	}
	return putJSON(tx, bucketState, holdKey(channel), append(held, seq))
}

// capCount is one channel's sends on one local day.
type capCount struct {
	Day string `json:"day"`
	N   int    `json:"n"`
}

// takeCap counts one message against the channel's daily cap; false when
// the cap is reached.
func takeCap(tx *store.OutboxTx, ch *channel, loc *time.Location, now time.Time) (bool, error) {
	key := []byte("cap\x00" + ch.Name)
	var c capCount
	if _, err := getJSON(tx, bucketState, key, &c); err != nil {
		return false, err
	}
	if day := now.In(loc).Format(time.DateOnly); c.Day != day {
		c = capCount{Day: day}
	}
	if c.N >= ch.DailyCap {
		return false, nil
	}
	c.N++
	return true, putJSON(tx, bucketState, key, c)
}

// releaseHeld queues, for every channel out of its quiet hours, what it
// held as one roll-up message (it counts once against the cap, and is sent
// even over it: it was decided before).
func (e *Engine) releaseHeld(tx *store.OutboxTx, rs *ruleSet, now time.Time) error {
	for name, ch := range rs.channels {
		if ch.Quiet(now, rs.loc) {
			continue
		}
		var held []uint64
		ok, err := getJSON(tx, bucketState, holdKey(name), &held)
		if err != nil {
			return err
		}
		if !ok || len(held) == 0 {
			continue
		}
		_, _ = takeCap(tx, ch, rs.loc, now)
		key := rollupKey(held, name)
		for _, seq := range held {
			rec, err := loadRecord(tx, seq)
			if err != nil {
				return err
			}
			if rec == nil {
				continue
			}
			if d := rec.Deliveries[name]; d != nil {
				d.Status, d.Key, d.At = StatusQueued, key, now
			}
			if err := saveRecord(tx, rec); err != nil {
				return err
			}
		}
		if err := enqueue(tx, job{Key: key, Channel: name, Alerts: held, Rollup: len(held) > 1, NextAt: now, Queued: now}); err != nil {
			return err
		}
		if err := tx.Delete(bucketState, holdKey(name)); err != nil {
			return err
		}
	}
	return nil
}
