package alerts

import (
	"context"
	"fmt"
	"time"

	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/config"
)

// TestResult is one channel's answer to a test alert.
type TestResult struct {
	Channel string
	Where   string // outbox file for e-mail without SMTP
	Err     error
}

// Test sends a sample alert of the named rule to each of its channels,
// directly (no store, no queue: the daemon may hold the data dir), marked
// as a test in its subject and key.
func Test(ctx context.Context, cfg *config.Config, d Deps, name string, now time.Time) ([]TestResult, error) {
	rs, err := compile(cfg, d)
	if err != nil {
		return nil, err
	}
	r := rs.rule(name)
	if r == nil {
		var names []string
		for _, x := range rs.rules {
			names = append(names, x.Name)
		}
		return nil, fmt.Errorf("alerts: no rule %q (configured: %v)", name, names)
	}
	a := sample(r, now)
	a.ID = alertID(&a, 0)
	a.Search, a.Report = links(rs, &a)
	var out []TestResult
	for _, name := range r.Channels {
		ch := rs.channels[name]
		m := render(rs, ch, []*Record{{Alert: a}}, job{Key: "test." + a.ID + "." + name})
		m.Subject = "[TEST] " + m.Subject
		m.Sent = now
		where, err := ch.n.Deliver(ctx, m)
		out = append(out, TestResult{Channel: name, Where: where, Err: err})
	}
	return out, nil
}

// sample is a made-up alert of r's kind with plausible numbers.
func sample(r *rule, now time.Time) notify.Alert {
	a := notify.Alert{Rule: r.Name, Kind: r.Kind, State: notify.StateFiring, Brand: r.Brand, Network: r.Network, At: now}
	post := notify.Post{ID: "test:1", Network: r.Network, URL: "https://example.com/earshot-test", Title: "Earshot test alert",
		Excerpt: "This is a test of the alert channel.", Author: "earshot", Interactions: 42, Published: now}
	switch {
	case r.spiky():
		from := now.Add(-r.Window.Std())
		a.From, a.To = &from, &now
		b := seasonal([]int64{8, 10, 9, 11}, r.Sigma)
		a.Count, a.Mean, a.StdDev, a.Threshold, a.Weeks = ptr(int64(40)), &b.Mean, &b.StdDev, &b.Threshold, b.Weeks
		if r.Kind == config.AlertNegativeSurge {
			a.Share, a.BaseShare = ptr(0.6), ptr(0.15)
		}
		a.Posts = []notify.Post{post}
		a.Terms = []notify.Term{{Term: "test", Count: 12}}
	case r.Kind == config.AlertSource:
		a.Source, a.Problem = r.Source, "failing since now: test"
	default:
		a.Posts = []notify.Post{post}
	}
	return a
}
