package alerts

import (
	"context"
	"net/url"
	"time"

	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
)

// Explainer says what drove an alert beyond its numbers: the words that
// rose (and, when it knows better, the top posts).
type Explainer interface {
	Explain(ctx context.Context, a *notify.Alert) error
}

// ReportExplainer explains spikes with the report's spike explanation
// (report.ExplainSpike) for the local day of the alert's window: its most
// engaged mentions when the window listed none, and its rising terms.
type ReportExplainer struct {
	Src    report.Source
	Config func() *config.Config
}

// Explain fills a.Terms (and a.Posts when empty) for spike-like alerts.
func (x ReportExplainer) Explain(ctx context.Context, a *notify.Alert) error {
	if a.Brand == "" || a.Kind == config.AlertSource || a.Kind == config.AlertQuery {
		return nil
	}
	cfg := x.Config()
	day := localDay(a, cfg.Earshot.Location)
	network := a.Network
	if network == "" {
		network = "all"
	}
	why, err := report.ExplainSpike(ctx, x.Src, cfg, report.SpikeDay{Day: day, Brand: a.Brand, Network: network})
	if err != nil {
		return err
	}
	for _, t := range why.Terms {
		a.Terms = append(a.Terms, notify.Term{Term: t.Term, Count: t.Count, Search: t.Search})
	}
	if len(a.Posts) == 0 {
		for _, m := range why.Top {
			a.Posts = append(a.Posts, notify.Post{ID: m.ID, Network: m.Network, URL: m.URL, Title: m.Title, Excerpt: m.Excerpt,
				Author: m.Author, Interactions: m.Engagement})
		}
	}
	return nil
}

// localDay is the configured zone's day the alert is about.
func localDay(a *notify.Alert, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t := a.At
	if a.To != nil {
		t = a.To.Add(-time.Nanosecond)
	}
	return t.In(loc).Format(time.DateOnly)
}

// explain fills the alert's posts from the store, its terms from the
// Explainer and its links. Failures leave what is missing out (logged): an
// alert goes out without its explanation rather than not at all.
func (e *Engine) explain(ctx context.Context, rs *ruleSet, rec *Record) {
	a := &rec.Alert
	for i := range a.Posts {
		p := &a.Posts[i]
		if p.URL != "" {
			continue
		}
		m, ok, err := e.st.Get(p.ID)
		if err != nil || !ok {
			continue
		}
		*p = postOf(&m)
	}
	if e.opts.Explain != nil {
		if err := e.opts.Explain.Explain(ctx, a); err != nil {
			e.log.Warn().Err(err).Str("alert", a.ID).Msg("alerts: explanation left out")
		}
	}
	for i := range a.Terms {
		if t := &a.Terms[i]; t.Search != "" && t.Search[0] == '/' {
			t.Search = rs.base + t.Search
		}
	}
	a.Search, a.Report = links(rs, a)
}

// links are the search and report showing the alert's evidence.
func links(rs *ruleSet, a *notify.Alert) (search, rep string) {
	if a.Kind == config.AlertSource {
		return rs.base + "/sources", ""
	}
	day := localDay(a, rs.loc)
	q := report.SearchQuery{Brand: a.Brand, From: day, To: day}
	if a.Network != "" {
		q.Networks = []string{a.Network}
	}
	switch a.Kind {
	case config.AlertNegativeSurge:
		q.Kind, q.Sentiments = "mention", []string{"negative"}
	case config.AlertQuery:
		if r := rs.rule(a.Rule); r != nil {
			q.Query = r.Query
		}
	case config.AlertCompetitor:
		if r := rs.rule(a.Rule); r != nil && r.Trigger == config.CompetitorOwned {
			q.Kind = "owned"
		} else {
			q.Kind = "mention"
		}
	default:
		q.Kind = "mention"
	}
	v := url.Values{"period": {"day"}, "end": {day}}
	if a.Network != "" {
		v.Set("network", a.Network)
	}
	return rs.base + q.URL(), rs.base + "/report?" + v.Encode()
}
