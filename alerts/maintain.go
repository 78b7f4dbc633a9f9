package alerts

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// SourceState is what a source rule reads of one source (the daemon adapts
// the scheduler's health to it).
type SourceState struct {
	Name, Network string
	// FailingSince is the first failure of the current run of failed
	// fetches; zero when the last fetch succeeded.
	FailingSince time.Time
	LastError    string
	// LastStored is when the source last stored a mention; Started when it
	// started (silence is counted from the later of the two).
	LastStored, Started time.Time
}

// maintain runs the periodic checks in one transaction: spikes that
// subsided (and their "ended" notices), source rules, and quiet hours that
// are over.
func (e *Engine) maintain() error {
	rs := e.rules.Load()
	if rs == nil || len(rs.rules) == 0 {
		return nil
	}
	now := e.clock()
	var sources []SourceState
	if e.opts.Sources != nil {
		sources = e.opts.Sources()
	}
	return e.st.OutboxUpdate(func(tx *store.OutboxTx) error {
		if err := e.endSpikes(tx, rs, now); err != nil {
			return err
		}
		if err := e.checkSources(tx, rs, sources, now); err != nil {
			return err
		}
		return e.releaseHeld(tx, rs, now)
	})
}

// endSpikes closes the episodes whose window fell back under the baseline.
func (e *Engine) endSpikes(tx *store.OutboxTx, rs *ruleSet, now time.Time) error {
	type active struct {
		key                  []byte
		rule, brand, network string
		g                    group
	}
	var list []active
	err := tx.Scan(bucketState, []byte("g\x00"), false, func(k, v []byte) (bool, error) {
		if !bytes.HasPrefix(k, []byte("g\x00")) {
			return false, nil
		}
		parts := strings.Split(string(k[2:]), "\x00")
		if len(parts) != 3 {
			return true, nil
		}
		a := active{key: bytes.Clone(k), rule: parts[0], brand: parts[1], network: parts[2]}
		if _, err := getJSON(tx, bucketState, k, &a.g); err != nil {
			return false, err
		}
		if a.g.Active {
			list = append(list, a)
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, a := range list {
		r := rs.rule(a.rule)
		if r == nil {
			a.g.Active = false // the rule is gone
			if err := putJSON(tx, bucketState, a.key, a.g); err != nil {
				return err
			}
			continue
		}
		if !r.spiky() {
			continue // source episodes end in checkSources
		}
		ev, err := evaluate(tx, r, a.brand, a.network, now)
		if err != nil {
			return err
		}
		if !subsided(ev.Value, ev.Base) {
			continue
		}
		a.g.Active = false
		if err := putJSON(tx, bucketState, a.key, a.g); err != nil {
			return err
		}
		if !r.Ended {
			continue
		}
		al := spikeAlert(r, a.brand, a.network, ev, now)
		al.State = notify.StateEnded
		rec, err := record(tx, al, r.Channels, StatusQueued, "", now)
		if err != nil {
			return err
		}
		e.stats.add(r.Name, "ended")
		if err := e.route(tx, rs, rec, now); err != nil {
			return err
		}
	}
	return nil
}

// checkSources fires source rules: once per episode of failing or
// silence, the episode closing when the source is well again.
func (e *Engine) checkSources(tx *store.OutboxTx, rs *ruleSet, sources []SourceState, now time.Time) error {
	for _, r := range rs.rules {
		if r.Kind != config.AlertSource {
			continue
		}
		for _, s := range sources {
			if r.Source != "" && r.Source != s.Name {
				continue
			}
			problem := sourceProblem(r, s, now, rs.loc)
			g, key, err := loadGroup(tx, r.Name, "", s.Name)
			if err != nil {
				return err
			}
			switch {
			case problem == "" && g.Active:
				g.Active = false
				if err := putJSON(tx, bucketState, key, g); err != nil {
					return err
				}
			case problem != "" && !g.Active:
				g.Active = true
				a := notify.Alert{Rule: r.Name, Kind: r.Kind, State: notify.StateFiring, Source: s.Name, Network: s.Network, At: now, Problem: problem}
				if err := e.fire(tx, rs, r, g, key, a, now); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// sourceProblem says what is wrong with s under r, "" when nothing.
func sourceProblem(r *rule, s SourceState, now time.Time, loc *time.Location) string {
	if !s.FailingSince.IsZero() && now.Sub(s.FailingSince) >= r.FailingFor.Std() {
		return fmt.Sprintf("failing: no successful fetch since %s: %s", s.FailingSince.In(loc).Format("2006-01-02 15:04"), s.LastError)
	}
	last := s.LastStored
	if s.Started.After(last) {
		last = s.Started
	}
	if !last.IsZero() && now.Sub(last) >= r.SilentFor.Std() {
		if s.LastStored.IsZero() {
			return fmt.Sprintf("silent: nothing stored since it started %s", s.Started.In(loc).Format("2006-01-02 15:04"))
		}
		return fmt.Sprintf("silent: nothing stored since %s", s.LastStored.In(loc).Format("2006-01-02 15:04"))
	}
	return ""
}
