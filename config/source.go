package config

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// DefaultTimeout is the per-fetch timeout when a source sets none (capped at
// the source's interval).
const DefaultTimeout = 30 * time.Second

// sources validates [[source]] tables and fills in names, intervals,
// timeouts, base URLs and tags.
func (v *validator) sources(ss []Source) {
	c := v.c
	used := map[string]int{} // folded explicit name -> index
	for i := range ss {
		s := &ss[i]
		sp := indexKey("source", i)
		s.Name = strings.TrimSpace(s.Name)
		if s.Name != "" {
			if err := checkText(s.Name); err != nil {
				c.at(sp+".name", "source name %v", err)
			} else if first, dup := used[fold(s.Name)]; dup {
				c.at(sp+".name", "duplicate source name %q (first defined at line %d)", s.Name, c.ix.lookup(indexKey("source", first)+".name").line)
			} else {
				used[fold(s.Name)] = i
			}
		}
		v.source(s, sp)
	}
	// Default names: the network, then network-2, network-3... skipping
	// names already taken.
	for i := range ss {
		s := &ss[i]
		if s.Name != "" || s.Network == "" {
			continue
		}
		name := s.Network
		for n := 2; ; n++ {
			if _, taken := used[fold(name)]; !taken {
				break
			}
			name = fmt.Sprintf("%s-%d", s.Network, n)
		}
		s.Name = name
		used[fold(name)] = i
	}
}

func (v *validator) source(s *Source, sp string) {
	c := v.c
	rules, ok := LookupNetwork(s.Network)
	switch {
	case c.failed(sp + ".network"):
		return
	case !c.ix.has(sp + ".network"):
		c.at(sp, "missing required key \"network\": want one of %s", strings.Join(NetworkNames(), ", "))
		return
	case !ok:
		c.at(sp+".network", "unknown network %q: want one of %s", truncate(s.Network, 40), strings.Join(NetworkNames(), ", "))
		return
	}

	for _, k := range networkKeys {
		applies := slices.Contains(rules.Keys, k) || slices.Contains(rules.Secrets, k) || slices.Contains(rules.OptionalSecrets, k)
		if kp := sp + "." + k; c.ix.has(kp) && !applies {
			c.at(kp, "%q does not apply to %s sources", k, s.Network)
		}
	}

	v.schedule(s, sp, rules)

	if slices.Contains(rules.Keys, "base_url") {
		if s.BaseURL == "" && !c.ix.has(sp+".base_url") {
			s.BaseURL = rules.BaseURL
		} else if err := checkURL(s.BaseURL); err != nil {
			c.at(sp+".base_url", "%v", err)
		}
	}

	v.secrets(s, sp, rules)
	if rules.Budget != nil {
		v.budget(s, sp, rules.Budget)
	}
	if rules.check != nil {
		rules.check(v, s, sp)
	}
}

// schedule applies interval and timeout defaults and limits.
func (v *validator) schedule(s *Source, sp string, r Network) {
	c := v.c
	ep, tp := sp+".every", sp+".timeout"
	switch {
	case c.failed(ep):
	case !c.ix.has(ep):
		s.Every = Duration(r.Every)
	case s.Every.Std() < r.Floor:
		c.at(ep, "interval %s is under the floor of %s for %s", fmtDuration(s.Every.Std()), fmtDuration(r.Floor), s.Network)
	}
	switch {
	case c.failed(tp):
	case !c.ix.has(tp):
		s.Timeout = Duration(min(DefaultTimeout, s.Every.Std()))
	case s.Timeout <= 0:
		c.at(tp, "timeout %s must be positive", fmtDuration(s.Timeout.Std()))
	case s.Timeout > s.Every && !c.failed(ep):
		c.at(tp, "timeout %s exceeds the poll interval %s", fmtDuration(s.Timeout.Std()), fmtDuration(s.Every.Std()))
	}
	lp := sp + ".lookback"
	switch {
	case c.failed(lp):
	case !c.ix.has(lp):
		s.Lookback = Duration(DefaultLookback)
	case s.Lookback.Std() < time.Minute || s.Lookback.Std() > MaxLookback:
		c.at(lp, "lookback %s must be from 1m to %s", fmtDuration(s.Lookback.Std()), fmtDuration(MaxLookback))
	}
}

// Lookback limits: how far back a source's first fetch reaches.
const (
	DefaultLookback = 72 * time.Hour
	MaxLookback     = 365 * 24 * time.Hour
)

func (v *validator) tags(s *Source, sp string) {
	if !v.c.ix.has(sp + ".tags") {
		s.Tags = append([]string(nil), hackerNewsTags...)
		return
	}
	v.enum(sp+".tags", s.Tags, hackerNewsTags)
}

// Feed per-poll cap (max_items) default and range.
const (
	DefaultFeedMaxItems = 500
	MaxFeedMaxItems     = 10000
)

func (v *validator) feedMaxItems(s *Source, sp string) {
	switch {
	case !v.c.ix.has(sp + ".max_items"):
		s.MaxItems = DefaultFeedMaxItems
	case s.MaxItems < 1 || s.MaxItems > MaxFeedMaxItems:
		v.c.at(sp+".max_items", "max_items %d must be from 1 to %d", s.MaxItems, MaxFeedMaxItems)
	}
}

func (v *validator) feedURLs(s *Source, sp string) {
	up := sp + ".urls"
	if len(s.URLs) == 0 {
		v.c.at(up, "an rss source needs at least one feed URL in urls")
		return
	}
	seen := map[string]int{}
	for j, u := range s.URLs {
		p := indexKey(up, j)
		if err := checkURL(u); err != nil {
			v.c.at(p, "%v", err)
		} else if first, dup := seen[u]; dup {
			v.c.at(p, "feed URL listed twice (first as %s)", indexKey(up, first))
		} else {
			seen[u] = j
		}
	}
}

// fmtDuration prints 1m instead of 1m0s and 1h instead of 1h0m0s.
func fmtDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
