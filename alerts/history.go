package alerts

import (
	"encoding/json"
	"time"

	"github.com/earshot/earshot/store"
)

// Entry is one alert in the history as the API lists it.
type Entry struct {
	Record
	Status string `json:"status"` // fired | delivered | failed | suppressed (Record.Status)
}

// List returns up to limit alerts, newest first, older than the alert
// before (0: from the newest), whose status is status ("" = any).
func (e *Engine) List(status string, before uint64, limit int) ([]Entry, error) {
	out := []Entry{}
	var from []byte
	if before > 0 {
		from = seqKey(before - 1)
	}
	err := e.st.OutboxView(func(tx *store.OutboxTx) error {
		return tx.Scan(bucketAlerts, from, true, func(_, v []byte) (bool, error) {
			var r Record
			if err := json.Unmarshal(v, &r); err != nil {
				return false, err
			}
			if s := r.Status(); status == "" || s == status {
				out = append(out, Entry{Record: r, Status: s})
			}
			return len(out) < limit, nil
		})
	})
	return out, err
}

// Prune deletes history records decided before cut whose deliveries are
// all done (nothing queued or held); it returns how many went.
func (e *Engine) Prune(cut time.Time) (int, error) {
	n := 0
	err := e.st.OutboxUpdate(func(tx *store.OutboxTx) error {
		var old [][]byte
		err := tx.Scan(bucketAlerts, nil, false, func(k, v []byte) (bool, error) {
			var r Record
			if err := json.Unmarshal(v, &r); err != nil {
				return false, err
			}
			if !r.Alert.At.Before(cut) {
				return false, nil
			}
			if s := r.Status(); s != "fired" {
				old = append(old, append([]byte(nil), k...))
			}
			return true, nil
		})
		if err != nil {
			return err
		}
		for _, k := range old {
			if err := tx.Delete(bucketAlerts, k); err != nil {
				return err
			}
		}
		n = len(old)
		return nil
	})
	return n, err
}

// Summary is the record's one-line subject, in English.
func (e *Engine) Summary(r *Record) string {
	rs := e.rules.Load()
	if rs == nil {
		rs = &ruleSet{loc: time.UTC}
	}
	s, _ := describe(rs, "en", &r.Alert)
	return s
}
