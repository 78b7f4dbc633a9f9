package config

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Goal metrics.
const (
	GoalSOV               = "sov"                 // share of voice by mentions, percent (0–100)
	GoalNetSentiment      = "net_sentiment"       // (pos − neg) / (pos + neg), −1..1
	GoalMentions          = "mentions"            // mentions per week
	GoalEngagementPerPost = "engagement_per_post" // engagement per owned post
	GoalResponseTime      = "response_time"       // mean response time of owned replies (lower is better)
	GoalLinkMentions      = "link_mentions"       // mentions per week linking to the brand's domains
)

// GoalMetrics lists the metrics a [[goal]] may name.
var GoalMetrics = []string{GoalSOV, GoalNetSentiment, GoalMentions, GoalEngagementPerPost, GoalResponseTime, GoalLinkMentions}

// GoalAllNetworks is the Network of a goal over every network.
const GoalAllNetworks = "all"

// Goal is a S.M.A.R.T. target the report tracks: a brand's weekly Metric on
// Network reaching Target by Deadline. Every metric but response_time takes
// a number in target; response_time takes a duration in target_time ("2h").
type Goal struct {
	Name       string   `toml:"name"`        // default "<brand> <metric> <network>"
	Brand      string   `toml:"brand"`       // default: the own brand
	Metric     string   `toml:"metric"`      // one of GoalMetrics
	Network    string   `toml:"network"`     // a network or "all" (default)
	Target     float64  `toml:"target"`      // sov in percent, net_sentiment −1..1, counts ≥ 0
	TargetTime Duration `toml:"target_time"` // response_time only
	Start      Date     `toml:"start"`       // optional: progress is measured from here
	Deadline   Date     `toml:"deadline"`    // required
}

// LowerIsBetter reports whether the goal is met by going under its target.
func (g Goal) LowerIsBetter() bool { return g.Metric == GoalResponseTime }

// TargetValue is the target as a number: hours for response_time.
func (g Goal) TargetValue() float64 {
	if g.Metric == GoalResponseTime {
		return g.TargetTime.Std().Hours()
	}
	return g.Target
}

// Date is a calendar day written "YYYY-MM-DD" (a quoted string), held as
// UTC midnight; reports read it in the configured time zone.
type Date struct{ time.Time }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("want a date like \"2026-12-31\"")
	}
	d.Time = t
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.Format(time.DateOnly)), nil
}

// MarshalJSON writes the date as "YYYY-MM-DD" ("" when zero).
func (d Date) MarshalJSON() ([]byte, error) {
	b, _ := d.MarshalText()
	return []byte(`"` + string(b) + `"`), nil
}

// goals checks [[goal]] tables and fills in defaults.
func (v *validator) goals(gs []Goal, brands []Brand) {
	c := v.c
	own := ""
	for _, b := range brands {
		if b.Own {
			own = b.Name
		}
	}
	names := map[string]string{}
	for i := range gs {
		g := &gs[i]
		gp := indexKey("goal", i)
		g.Brand = strings.TrimSpace(g.Brand)
		if g.Brand == "" {
			g.Brand = own
		} else if j := slices.IndexFunc(brands, func(b Brand) bool { return fold(b.Name) == fold(g.Brand) }); j >= 0 {
			g.Brand = brands[j].Name
		} else {
			c.at(gp+".brand", "unknown brand %q", truncate(g.Brand, 40))
		}
		switch g.Network = strings.TrimSpace(g.Network); {
		case g.Network == "":
			g.Network = GoalAllNetworks
		case g.Network == GoalAllNetworks || slices.Contains(NetworkNames(), g.Network):
		default:
			c.at(gp+".network", "unknown network %q: want \"all\" or one of %s", truncate(g.Network, 40), strings.Join(NetworkNames(), ", "))
		}
		v.goalTarget(g, gp)
		switch {
		case c.failed(gp + ".deadline"):
		case g.Deadline.IsZero():
			c.at(gp, "a goal needs deadline: the day it must be met, like \"2026-12-31\"")
		case !g.Start.IsZero() && !g.Start.Before(g.Deadline.Time):
			c.at(gp+".start", "start %s must be before the deadline %s", g.Start.Format(time.DateOnly), g.Deadline.Format(time.DateOnly))
		}
		g.Name = strings.TrimSpace(g.Name)
		if g.Name == "" {
			g.Name = strings.Join([]string{g.Brand, g.Metric, g.Network}, " ")
		} else if err := checkText(g.Name); err != nil {
			c.at(gp+".name", "goal name %v", err)
		}
		if first, dup := names[fold(g.Name)]; dup {
			c.at(gp+".name", "duplicate goal name %q (first is %s)", truncate(g.Name, 40), first)
		}
		names[fold(g.Name)] = gp
	}
}

// goalTarget checks metric, target and target_time together.
func (v *validator) goalTarget(g *Goal, gp string) {
	c := v.c
	g.Metric = strings.TrimSpace(g.Metric)
	hasTarget, hasTime := c.ix.has(gp+".target"), c.ix.has(gp+".target_time")
	switch {
	case c.failed(gp + ".metric"):
		return
	case g.Metric == "":
		c.at(gp, "a goal needs metric: one of %s", strings.Join(GoalMetrics, ", "))
		return
	case !slices.Contains(GoalMetrics, g.Metric):
		c.at(gp+".metric", "unknown metric %q: want one of %s", truncate(g.Metric, 40), strings.Join(GoalMetrics, ", "))
		return
	case c.failed(gp+".target") || c.failed(gp+".target_time"):
		return
	}
	if g.Metric == GoalResponseTime {
		switch {
		case hasTarget:
			c.at(gp+".target", "response_time takes target_time, a duration such as \"2h\", not target")
		case !hasTime:
			c.at(gp, "a response_time goal needs target_time, a duration such as \"2h\"")
		case g.TargetTime <= 0:
			c.at(gp+".target_time", "target_time %s must be positive", g.TargetTime.Std())
		}
		return
	}
	lo, hi := 0.0, math.Inf(1)
	switch g.Metric {
	case GoalSOV:
		hi = 100
	case GoalNetSentiment:
		lo, hi = -1, 1
	}
	switch {
	case hasTime:
		c.at(gp+".target_time", "target_time applies to response_time goals only; use target")
	case !hasTarget:
		c.at(gp, "a %s goal needs target, a number", g.Metric)
	case math.IsNaN(g.Target) || g.Target < lo || g.Target > hi:
		c.at(gp+".target", "target %g for %s must be from %g to %g", g.Target, g.Metric, lo, hi)
	}
}
