package config

import (
	"fmt"
	"slices"
	"time"
)

// SourceQueries are the queries a source polls: its queries, else every
// brand's terms (each once, in brand order).
func (c *Config) SourceQueries(s Source) []string {
	if len(s.Queries) > 0 {
		return s.Queries
	}
	var qs []string
	for _, b := range c.Brands {
		for _, t := range b.AllTerms() {
			if !slices.Contains(qs, t) {
				qs = append(qs, t)
			}
		}
	}
	return qs
}

// QuotaWarning is a source whose interval and queries need more of its
// network's daily quota than its daily_budget allows: it will stop each
// day when the budget is spent. A warning, not an error: the budget still
// protects the quota.
type QuotaWarning struct {
	Source string
	// Need is the budget one day of polling takes at least:
	// Polls × Queries × Kinds × Budget.PerQuery, Polls = ⌈24h / Every⌉.
	// EveryToFit is the shortest whole-minute interval whose Need fits:
	// ⌈24h / ⌊Limit / (Queries × Kinds × PerQuery)⌋⌉ (24h when not even
	// one poll a day fits).
	Need, Limit       int
	Polls, Queries    int
	Kinds, PerQuery   int
	Unit              string
	Every, EveryToFit time.Duration
}

func (w QuotaWarning) String() string {
	kinds := ""
	if w.Kinds > 1 {
		kinds = fmt.Sprintf(" × %d kinds", w.Kinds)
	}
	return fmt.Sprintf("source %q: %d polls a day (every %s) × %d queries%s × %d %s = %d %s a day, more than its daily budget of %d: it will stop each day when the budget is spent; poll every %s or more, or use fewer queries",
		w.Source, w.Polls, fmtDuration(w.Every), w.Queries, kinds, w.PerQuery, w.Unit, w.Need, w.Unit, w.Limit, fmtDuration(w.EveryToFit))
}

// QuotaWarnings lists the sources whose polling cannot fit their daily
// budget, from the networks table's Budget rows (PerQuery: what one query
// costs per poll, at least; a network with "kinds" polls each query once
// per kind).
func (c *Config) QuotaWarnings() []QuotaWarning {
	var out []QuotaWarning
	for _, s := range c.Sources {
		n, ok := LookupNetwork(s.Network)
		if !ok || n.Budget == nil || n.Budget.PerQuery <= 0 || s.Every.Std() <= 0 {
			continue
		}
		limit := s.DailyBudget
		if limit <= 0 {
			limit = n.Budget.Default
		}
		kinds := 1
		if slices.Contains(n.Keys, "kinds") && len(s.Kinds) > 0 {
			kinds = len(s.Kinds)
		}
		w := QuotaWarning{Source: s.Name, Limit: limit, Queries: len(c.SourceQueries(s)), Kinds: kinds,
			PerQuery: n.Budget.PerQuery, Unit: n.Budget.Unit, Every: s.Every.Std()}
		day := 24 * time.Hour
		w.Polls = int((day + w.Every - 1) / w.Every)
		perPoll := w.Queries * kinds * w.PerQuery
		w.Need = w.Polls * perPoll
		if limit <= 0 || w.Need <= limit {
			continue
		}
		// the most polls that fit, then the shortest whole-minute
		// interval that polls no more often (a day's polls round up)
		maxPolls := max(limit/perPoll, 1)
		w.EveryToFit = (day/time.Duration(maxPolls) + time.Minute - 1).Truncate(time.Minute)
		out = append(out, w)
	}
	return out
}
