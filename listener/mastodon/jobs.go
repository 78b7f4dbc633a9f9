package mastodon

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/earshot/earshot/listener"
)

type jobKind int

const (
	kindAccount jobKind = iota
	kindTag
	kindSearch
)

// job is one timeline polled per Fetch.
type job struct {
	kind  jobKind
	key   string // cursor key
	value string // hashtag, query or account handle
	brand string // accounts: the owning brand
}

// jobs lists the timelines to poll: brand accounts first (so that a status
// seen in both an account and a hashtag timeline is returned as owned),
// then hashtags, then full-text queries when a token is configured.
func (s *Source) jobs() []job {
	var out []job
	seen := map[string]bool{}
	add := func(j job) {
		if !seen[j.key] {
			seen[j.key] = true
			out = append(out, j)
		}
	}
	for _, a := range s.cfg.Accounts {
		h := normHandle(a.Handle)
		if h == "" {
			continue
		}
		add(job{kind: kindAccount, key: "account:" + h, value: h, brand: a.Brand})
	}
	for _, t := range cleanList(s.cfg.Hashtags, true) {
		add(job{kind: kindTag, key: "tag:" + strings.ToLower(t), value: t})
	}
	if s.cfg.Token != "" {
		for _, q := range cleanList(s.cfg.Queries, false) {
			add(job{kind: kindSearch, key: "search:" + q, value: q})
		}
	}
	return out
}

// normHandle turns "@acme", "acme" or "acme@mastodon.social" into the
// lookup form without the leading "@", lowercased.
func normHandle(h string) string {
	h = strings.TrimPrefix(strings.TrimSpace(h), "@")
	if h == "" || strings.ContainsAny(h, " /?#") || strings.Count(h, "@") > 1 {
		return ""
	}
	return strings.ToLower(h)
}

// cleanList trims entries (and a leading "#" for hashtags), dropping empty
// and duplicate ones, keeping order.
func cleanList(in []string, hashtag bool) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range in {
		v = strings.TrimSpace(v)
		if hashtag {
			v = strings.TrimSpace(strings.TrimPrefix(v, "#"))
		}
		k := strings.ToLower(v)
		if v == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, v)
	}
	return out
}

// pageURL is the request for one page of j newer than minID; accountID is
// the looked-up id for account timelines.
func (s *Source) pageURL(j job, accountID, minID string) string {
	v := url.Values{}
	v.Set("limit", strconv.Itoa(s.cfg.Limit))
	v.Set("min_id", minID)
	switch j.kind {
	case kindAccount:
		v.Set("exclude_reblogs", "false")
		return s.cfg.BaseURL + "/api/v1/accounts/" + url.PathEscape(accountID) + "/statuses?" + v.Encode()
	case kindSearch:
		v.Set("q", j.value)
		v.Set("type", "statuses")
		v.Set("resolve", "false")
		return s.cfg.BaseURL + "/api/v2/search?" + v.Encode()
	default:
		return s.cfg.BaseURL + "/api/v1/timelines/tag/" + url.PathEscape(j.value) + "?" + v.Encode()
	}
}

// mark sets the ownership of a post fetched from an account timeline: the
// account's own statuses are owned; statuses it boosted are not.
func mark(p *listener.Post, j job, boosted bool) {
	if j.kind == kindAccount && !boosted {
		p.Owned = true
		p.OwnedBrand = j.brand
	}
}
