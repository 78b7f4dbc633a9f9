package alerts

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/store"
)

// Sub-buckets of the store's outbox (store/outbox.go).
const (
	bucketAlerts = "alerts"      // seq → Record: the history, oldest first
	bucketQueue  = "alert_queue" // seq → job: deliveries not yet done
	bucketState  = "alert_state" // group / hold / cap keys → JSON
)

// Delivery statuses of one alert on one channel.
const (
	StatusQueued     = "queued"     // waiting to be sent
	StatusRetrying   = "retrying"   // a send failed; retried with backoff
	StatusDelivered  = "delivered"  // the channel accepted it
	StatusFailed     = "failed"     // given up (permanent error or out of attempts)
	StatusHeld       = "held"       // quiet hours: rolled into one message after
	StatusSuppressed = "suppressed" // cooldown or daily cap: not sent
)

// Delivery is what happened to an alert on one channel.
type Delivery struct {
	Status   string    `json:"status"`
	Reason   string    `json:"reason,omitempty"` // why suppressed
	Key      string    `json:"idempotency_key,omitempty"`
	Attempts int       `json:"attempts,omitempty"`
	Error    string    `json:"error,omitempty"` // the last failure
	At       time.Time `json:"at"`              // of the last change
	Where    string    `json:"where,omitempty"` // outbox file, for e-mail without SMTP
}

// Record is one alert in the history with its deliveries.
type Record struct {
	Seq        uint64               `json:"seq"`
	Alert      notify.Alert         `json:"alert"`
	Explained  bool                 `json:"explained"`  // Posts and Terms filled (once, before the first send)
	Deliveries map[string]*Delivery `json:"deliveries"` // by channel name
}

// Status sums up the record: suppressed (nothing to send), failed (some
// channel gave up), delivered (every channel that sends did), else fired.
func (r *Record) Status() string {
	sent, failed, pending := 0, 0, 0
	for _, d := range r.Deliveries {
		switch d.Status {
		case StatusDelivered:
			sent++
		case StatusFailed:
			failed++
		case StatusQueued, StatusRetrying, StatusHeld:
			pending++
		}
	}
	switch {
	case failed > 0:
		return StatusFailed
	case pending > 0:
		return "fired"
	case sent > 0:
		return StatusDelivered
	default:
		return StatusSuppressed
	}
}

// job is one queued delivery: one message to one channel.
type job struct {
	Key      string    `json:"key"` // idempotency key
	Channel  string    `json:"channel"`
	Alerts   []uint64  `json:"alerts"` // record seqs; several for a quiet-hours roll-up
	Rollup   bool      `json:"rollup,omitempty"`
	Attempts int       `json:"attempts"`
	NextAt   time.Time `json:"next_at"`
	Queued   time.Time `json:"queued"`
}

// group is the state of one rule × brand × network (or rule × source).
type group struct {
	Active     bool      `json:"active"` // a spike (or source problem) is going on
	LastFired  time.Time `json:"last_fired"`
	Held       int       `json:"held"`       // suppressed by the cooldown since LastFired
	Suppressed uint64    `json:"suppressed"` // the record counting them, 0 = none yet
	FiredSeq   uint64    `json:"fired_seq"`  // the alert that opened the episode
}

func groupKey(rule, brand, network string) []byte {
	return []byte("g\x00" + rule + "\x00" + brand + "\x00" + network)
}

func seqKey(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

func getJSON(tx *store.OutboxTx, bucket string, key []byte, v any) (bool, error) {
	b := tx.Get(bucket, key)
	if b == nil {
		return false, nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("alerts: decode %s %x: %w", bucket, key, err)
	}
	return true, nil
}

func putJSON(tx *store.OutboxTx, bucket string, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("alerts: encode %s: %w", bucket, err)
	}
	return tx.Put(bucket, key, b)
}

// alertID is a stable ID for an alert decided at at: the idempotency keys
// of its deliveries start with it.
func alertID(a *notify.Alert, seq uint64) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%d\x00%d", a.Rule, a.State, a.Brand, a.Network, a.Source, a.At.UnixNano(), seq)
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// record appends a to the history with a delivery entry per channel, each
// in status, and returns it.
func record(tx *store.OutboxTx, a notify.Alert, channels []string, status, reason string, now time.Time) (*Record, error) {
	k, err := tx.NextSeq(bucketAlerts)
	if err != nil {
		return nil, err
	}
	seq := binary.BigEndian.Uint64(k)
	a.ID = alertID(&a, seq)
	if a.Posts == nil {
		a.Posts = []notify.Post{}
	}
	if a.Terms == nil {
		a.Terms = []notify.Term{}
	}
	r := &Record{Seq: seq, Alert: a, Deliveries: map[string]*Delivery{}}
	for _, ch := range channels {
		r.Deliveries[ch] = &Delivery{Status: status, Reason: reason, At: now}
	}
	return r, putJSON(tx, bucketAlerts, k, r)
}

func loadRecord(tx *store.OutboxTx, seq uint64) (*Record, error) {
	var r Record
	ok, err := getJSON(tx, bucketAlerts, seqKey(seq), &r)
	if err != nil || !ok {
		return nil, err
	}
	return &r, nil
}

// loadRecords reads the records of seqs that still exist, in one read
// transaction.
func (e *Engine) loadRecords(seqs []uint64) ([]*Record, error) {
	var recs []*Record
	err := e.st.OutboxView(func(tx *store.OutboxTx) error {
		for _, seq := range seqs {
			rec, err := loadRecord(tx, seq)
			if err != nil {
				return err
			}
			if rec != nil {
				recs = append(recs, rec)
			}
		}
		return nil
	})
	return recs, err
}

func saveRecord(tx *store.OutboxTx, r *Record) error {
	return putJSON(tx, bucketAlerts, seqKey(r.Seq), r)
}
