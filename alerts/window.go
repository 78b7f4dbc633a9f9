package alerts

import (
	"cmp"
	"slices"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// week is the seasonal period: the same hour-of-week is compared.
const week = 7 * 24 * time.Hour

// factReader is the part of a store transaction a window count needs
// (store.OutboxTx).
type factReader interface {
	Facts(from, to time.Time, fn func(*store.Fact) error) error
	CollectionBegan(network string) time.Time
}

// windowCount is what one window holds for a brand and network.
type windowCount struct {
	Total, Negative int64
	Top             []*store.Fact // most engaged first, at most topPosts
}

// topPosts bounds the posts an alert lists.
const topPosts = 3

// counts reports whether f counts for brand on network ("" = every
// network): mentions by others, dated (estimated dates are when Earshot
// saw the post, not when it was written).
func counts(f *store.Fact, brand, network string) bool {
	return f.Kind == store.KindMention && !f.Estimated &&
		(network == "" || f.Network == network) && slices.Contains(f.Brands, brand)
}

// count counts [from, to).
func count(tx factReader, brand, network string, from, to time.Time, top bool) (windowCount, error) {
	var w windowCount
	err := tx.Facts(from, to, func(f *store.Fact) error {
		if !counts(f, brand, network) {
			return nil
		}
		w.Total++
		if f.Label == "negative" {
			w.Negative++
		}
		if top {
			w.Top = append(w.Top, f)
			slices.SortFunc(w.Top, func(a, b *store.Fact) int {
				if c := cmp.Compare(b.Engagement, a.Engagement); c != 0 {
					return c
				}
				return b.Published.Compare(a.Published)
			})
			w.Top = w.Top[:min(len(w.Top), topPosts)]
		}
		return nil
	})
	return w, err
}

// evaluation is a spike-like rule's window against its baseline.
type evaluation struct {
	From, To time.Time
	Window   windowCount
	Value    int64 // what is compared: Total, or Negative for negative_surge
	Base     Baseline
	Share    float64 // negative share of the window
	BaseNeg  float64 // negative share of the baseline windows (0 when empty)
	Young    bool    // collected for less than the rule's min_history
}

// Fires applies the rule's threshold, minimum count and share.
func (ev *evaluation) Fires(r *rule) bool {
	if ev.Young || !fires(ev.Value, ev.Base, r.MinCount) {
		return false
	}
	return r.Kind != config.AlertNegativeSurge || ev.Share >= r.MinShare
}

// evaluate counts the window ending at now and the same window in each of
// the rule's earlier weeks that were collected in full.
func evaluate(tx factReader, r *rule, brand, network string, now time.Time) (*evaluation, error) {
	w := r.Window.Std()
	ev := &evaluation{From: now.Add(-w), To: now}
	start := tx.CollectionBegan(network)
	ev.Young = start.IsZero() || now.Sub(start) < r.MinHistory.Std()
	var err error
	if ev.Window, err = count(tx, brand, network, ev.From, ev.To, true); err != nil {
		return nil, err
	}
	ev.Value = ev.Window.Total
	if r.Kind == config.AlertNegativeSurge {
		ev.Value = ev.Window.Negative
	}
	if ev.Window.Total > 0 {
		ev.Share = float64(ev.Window.Negative) / float64(ev.Window.Total)
	}
	var base []int64
	var negs, tots int64
	for k := 1; k <= r.BaselineWeeks; k++ {
		from := ev.From.Add(-time.Duration(k) * week)
		if start.IsZero() || from.Before(start) {
			break // not collected in full: left out, never counted as zero
		}
		c, err := count(tx, brand, network, from, from.Add(w), false)
		if err != nil {
			return nil, err
		}
		negs, tots = negs+c.Negative, tots+c.Total
		if r.Kind == config.AlertNegativeSurge {
			base = append(base, c.Negative)
		} else {
			base = append(base, c.Total)
		}
	}
	if tots > 0 {
		ev.BaseNeg = float64(negs) / float64(tots)
	}
	ev.Base = seasonal(base, r.Sigma)
	return ev, nil
}
