package alerts

import (
	"slices"
	"time"

	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/query"
	"github.com/earshot/earshot/store"
)

// fresh is how old a mention may be and still fire a query or competitor
// rule: a backfill of old posts is history, not news.
const fresh = 48 * time.Hour

// fieldGap keeps phrases from spanning title and text (as the matcher).
const fieldGap = 2

// decide is the store's commit hook: it runs inside the transaction that
// stores added, so an alert is queued exactly when its mention is stored.
func (e *Engine) decide(tx *store.OutboxTx, added []store.Mention) error {
	rs := e.rules.Load()
	if rs == nil || len(rs.rules) == 0 {
		return nil
	}
	now := e.clock()
	for _, r := range rs.rules {
		var err error
		switch {
		case r.spiky():
			err = e.decideSpikes(tx, rs, r, added, now)
		case r.Kind == config.AlertQuery:
			err = e.decideMatches(tx, rs, r, added, now, r.matches)
		case r.Kind == config.AlertCompetitor:
			err = e.decideMatches(tx, rs, r, added, now, func(m *store.Mention) (string, bool) {
				return competitorOwned(rs, r, m)
			})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// brandsOf lists the brands a spike-like rule watches.
func (rs *ruleSet) brandsOf(r *rule) []string {
	if r.Brand != "" {
		return []string{r.Brand}
	}
	var out []string
	for _, b := range rs.cfg.Brands {
		if !b.Own {
			out = append(out, b.Name)
		}
	}
	return out
}

// decideSpikes evaluates every brand × network the commit touched with a
// recent mention.
func (e *Engine) decideSpikes(tx *store.OutboxTx, rs *ruleSet, r *rule, added []store.Mention, now time.Time) error {
	type target struct{ brand, network string }
	var touched []target
	from := now.Add(-r.Window.Std())
	for i := range added {
		m := &added[i]
		if m.Kind != store.KindMention || m.PublishedEstimated || m.Published.Before(from) || m.Published.After(now) ||
			(r.Network != "" && m.Network != r.Network) {
			continue
		}
		for _, b := range rs.brandsOf(r) {
			if t := (target{b, r.Network}); slices.Contains(m.Brands, b) && !slices.Contains(touched, t) {
				touched = append(touched, t)
			}
		}
	}
	for _, t := range touched {
		ev, err := evaluate(tx, r, t.brand, t.network, now)
		if err != nil {
			return err
		}
		if !ev.Fires(r) {
			continue
		}
		g, key, err := loadGroup(tx, r.Name, t.brand, t.network)
		if err != nil {
			return err
		}
		if g.Active {
			continue // the same episode: it already fired
		}
		g.Active = true
		if err := e.fire(tx, rs, r, g, key, spikeAlert(r, t.brand, t.network, ev, now), now); err != nil {
			return err
		}
	}
	return nil
}

// spikeAlert describes ev.
func spikeAlert(r *rule, brand, network string, ev *evaluation, now time.Time) notify.Alert {
	a := notify.Alert{Rule: r.Name, Kind: r.Kind, State: notify.StateFiring, Brand: brand, Network: network, At: now,
		From: ptr(ev.From), To: ptr(ev.To), Count: ptr(ev.Value), Mean: ptr(ev.Base.Mean), StdDev: ptr(ev.Base.StdDev),
		Threshold: ptr(ev.Base.Threshold), Weeks: ev.Base.Weeks}
	if r.Kind == config.AlertNegativeSurge {
		a.Share, a.BaseShare = ptr(ev.Share), ptr(ev.BaseNeg)
	}
	for _, f := range ev.Window.Top {
		a.Posts = append(a.Posts, notify.Post{ID: f.ID, Network: f.Network, Interactions: f.Engagement, Published: f.Published, Author: f.Author})
	}
	return a
}

func ptr[T any](v T) *T { return &v }

// matches applies a query rule to one mention; the group is its network.
func (r *rule) matches(m *store.Mention) (string, bool) {
	if r.match == nil || m.Kind != store.KindMention || (r.Brand != "" && !slices.Contains(m.Brands, r.Brand)) ||
		(r.Network != "" && m.Network != r.Network) ||
		m.AuthorFollowers < r.MinFollowers || m.EngagementTotal < r.MinInteractions {
		return "", false
	}
	_, toks := query.TokenizeFields(m.Title, m.Text, fieldGap)
	return r.Brand, r.match.Match(toks)
}

// competitorOwned reports a competitor's own post; the group is the brand.
func competitorOwned(rs *ruleSet, r *rule, m *store.Mention) (string, bool) {
	if m.Kind != store.KindOwned || (r.Network != "" && m.Network != r.Network) {
		return "", false
	}
	for _, b := range rs.brandsOf(r) {
		if slices.Contains(m.Brands, b) {
			return b, true
		}
	}
	return "", false
}

// decideMatches fires a rule once per matching fresh mention, grouped by
// rule × brand × network.
func (e *Engine) decideMatches(tx *store.OutboxTx, rs *ruleSet, r *rule, added []store.Mention, now time.Time,
	match func(*store.Mention) (string, bool)) error {
	for i := range added {
		m := &added[i]
		if now.Sub(m.Published) > fresh {
			continue
		}
		brand, ok := match(m)
		if !ok {
			continue
		}
		g, key, err := loadGroup(tx, r.Name, brand, m.Network)
		if err != nil {
			return err
		}
		a := notify.Alert{Rule: r.Name, Kind: r.Kind, State: notify.StateFiring, Brand: brand, Network: m.Network, At: now,
			Posts: []notify.Post{postOf(m)}}
		if err := e.fire(tx, rs, r, g, key, a, now); err != nil {
			return err
		}
	}
	return nil
}

// postOf is the alert's view of m.
func postOf(m *store.Mention) notify.Post {
	p := notify.Post{ID: m.ID, Network: m.Network, URL: m.URL, Title: m.Title, Excerpt: excerpt(m.Text),
		Author: m.Author, Interactions: m.EngagementTotal, Published: m.Published}
	if m.AuthorFollowers > 0 {
		p.Followers = ptr(m.AuthorFollowers)
	}
	return p
}

func excerpt(s string) string {
	r := []rune(s)
	if len(r) > 200 {
		return string(r[:200]) + "…"
	}
	return s
}
