package report

import (
	"net/url"
	"strings"
	"time"

	"github.com/earshot/earshot/store"
)

// SearchQuery is what a figure counts, written as a search of the web UI:
// the same brand, networks, kind, sentiment labels and days. It is the one
// place report figures are turned into links (the HTML page, spikes, and
// the alerts and digest that reuse them).
type SearchQuery struct {
	Query      string   // query language text ("" = everything)
	Brand      string   // "" = any brand
	Networks   []string // empty = every network
	Kind       string   // store.KindMention, store.KindOwned or ""
	Topic      string   // a topic name ("" = any)
	Replies    bool     // only posts replying to another (customer care)
	Sentiments []string // labels; empty = any
	// From and To are the first and last local day (YYYY-MM-DD, both
	// included) in the configured time zone, which the search reads its
	// dates in too.
	From, To string
}

// URL is the search page link ("/?brand=…&from=…&to=…"), parameters in a
// fixed order so the same figure always gives the same bytes.
func (q SearchQuery) URL() string {
	var b strings.Builder
	b.WriteString("/?")
	add := func(k, v string) {
		if v == "" {
			return
		}
		if b.Len() > 2 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	add("q", q.Query)
	add("brand", q.Brand)
	add("network", strings.Join(q.Networks, ","))
	add("kind", q.Kind)
	add("topic", q.Topic)
	if q.Replies {
		add("reply", "yes")
	}
	add("sentiment", strings.Join(q.Sentiments, ","))
	add("from", q.From)
	add("to", q.To)
	return b.String()
}

// figureQuery is the search behind a figure of network ("all" = the
// reported networks) and brand over [start, end) local days: mentions by
// others, as the share-of-voice and sentiment figures count them.
func figureQuery(m Meta, network, brand string, sentiments ...string) SearchQuery {
	q := SearchQuery{Brand: brand, Kind: store.KindMention, Sentiments: sentiments}
	if network == allNetworks {
		q.Networks = m.Networks
	} else {
		q.Networks = []string{network}
	}
	q.From, q.To = localDays(m.Start, m.End)
	return q
}

// localDays turns an RFC 3339 [start, end) of local midnights into the
// first and last day it covers.
func localDays(start, end string) (string, string) {
	s, err1 := time.Parse(time.RFC3339, start)
	e, err2 := time.Parse(time.RFC3339, end)
	if err1 != nil || err2 != nil {
		return "", ""
	}
	return s.Format(time.DateOnly), e.AddDate(0, 0, -1).Format(time.DateOnly)
}
