package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/query"
	"github.com/earshot/earshot/store"
)

// Limits of /api/search.
const (
	defaultSize = 20
	maxSize     = 100
	maxPage     = 1000
	maxQueryLen = 4096
)

// Sentiment labels accepted by the sentiment filter.
var sentimentLabels = []string{"positive", "neutral", "negative"}

// defaultAPIFacets are counted when a caller names none: facets cost time
// per hit, so the API counts two unless asked for more.
var defaultAPIFacets = []string{store.FacetBrand, store.FacetNetwork}

// SearchResponse is the body of a successful GET /api/search.
type SearchResponse struct {
	Query  string    `json:"query"`
	Total  uint64    `json:"total"`
	Page   int       `json:"page"`
	Size   int       `json:"size"`
	Sort   string    `json:"sort"`
	TookMS float64   `json:"took_ms"`
	Hits   []HitJSON `json:"hits"`
	// Facets count the whole result set (not just this page) for each
	// facet asked for (facets=; default brand and network).
	Facets map[string][]FacetJSON `json:"facets"`
	// TotalIsUpperBound is true when a phrase or NEAR query had more
	// candidates than were verified.
	TotalIsUpperBound bool `json:"total_is_upper_bound,omitempty"`
}

// HitJSON is one search hit; Snippet is HTML-escaped text with <mark> tags.
type HitJSON struct {
	ID          string    `json:"id"`
	Network     string    `json:"network"`
	Source      string    `json:"source"`
	Kind        string    `json:"kind"`
	URL         string    `json:"url"`
	Title       string    `json:"title,omitempty"`
	ParentTitle string    `json:"parent_title,omitempty"` // a reply's thread or video: context, never matched
	Author      string    `json:"author,omitempty"`
	AuthorName  string    `json:"author_name,omitempty"`
	Published   time.Time `json:"published"`
	// PublishedEstimated: the network gave no date; Published is when
	// Earshot first saw the post.
	PublishedEstimated bool             `json:"published_estimated,omitempty"`
	Lang               string           `json:"lang,omitempty"`
	Snippet            string           `json:"snippet"`
	Brands             []string         `json:"brands"`
	Topics             []string         `json:"topics,omitempty"`
	Engagement         map[string]int64 `json:"engagement,omitempty"`
	EngagementTotal    int64            `json:"engagement_total"`
	Sentiment          float64          `json:"sentiment"`
	SentimentLabel     string           `json:"sentiment_label,omitempty"`
	Score              float64          `json:"score,omitempty"`
}

// FacetJSON is one facet value and its count over the whole result set.
type FacetJSON struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// ParseSearch turns /api/search parameters into a store request. Errors are
// written for the user: they name the parameter and what is wrong. Dates
// (from=, to= as YYYY-MM-DD) are days of loc, the configured time zone, as
// in the report (nil = UTC).
func ParseSearch(v url.Values, brands, networks []string, loc *time.Location) (store.SearchRequest, string, error) {
	var req store.SearchRequest
	q := strings.TrimSpace(v.Get("q"))
	canonical := ""
	if len(q) > maxQueryLen {
		return req, "", fmt.Errorf("q: query is %d bytes; the limit is %d", len(q), maxQueryLen)
	}
	if q != "" {
		n, err := query.Parse(q)
		if err != nil {
			return req, "", fmt.Errorf("q: %w", err)
		}
		req.Query = n
		canonical = query.String(n)
	}
	var err error
	if req.Brands, err = listParam(v, "brand", brands); err != nil {
		return req, "", err
	}
	if req.Networks, err = listParam(v, "network", networks); err != nil {
		return req, "", err
	}
	if req.Langs, err = listParam(v, "lang", nil); err != nil {
		return req, "", err
	}
	if req.Kinds, err = listParam(v, "kind", []string{store.KindMention, store.KindOwned}); err != nil {
		return req, "", err
	}
	if req.Sentiments, err = listParam(v, "sentiment", sentimentLabels); err != nil {
		return req, "", err
	}
	if req.Topics, err = listParam(v, "topic", nil); err != nil {
		return req, "", err
	}
	switch r := v.Get("reply"); r {
	case "":
	case "yes":
		req.RepliesOnly = true
	default:
		return req, "", fmt.Errorf("reply: %q is not yes", r)
	}
	if req.Facets, req.NoFacets, err = facetsParam(v); err != nil {
		return req, "", err
	}
	if req.From, err = timeParam(v, "from", false, loc); err != nil {
		return req, "", err
	}
	if req.To, err = timeParam(v, "to", true, loc); err != nil {
		return req, "", err
	}
	if !req.From.IsZero() && !req.To.IsZero() && req.To.Before(req.From) {
		return req, "", errors.New("to: must not be before from")
	}
	switch sort := v.Get("sort"); sort {
	case "", "relevance", "newest", "engagement":
		req.Sort = sort
		if sort == "" {
			req.Sort = "newest"
			if req.Query != nil {
				req.Sort = "relevance"
			}
		}
	default:
		return req, "", fmt.Errorf("sort: %q is not one of relevance, newest, engagement", sort)
	}
	if req.Page, err = intParam(v, "page", 1, 1, maxPage); err != nil {
		return req, "", err
	}
	if req.Size, err = intParam(v, "size", defaultSize, 1, 1<<30); err != nil {
		return req, "", err
	}
	req.Size = min(req.Size, maxSize)
	return req, canonical, nil
}

// facetsParam reads facets=: a comma-separated list of facet names,
// "none", or absent for the default.
func facetsParam(v url.Values) ([]string, bool, error) {
	if _, ok := v["facets"]; !ok {
		return defaultAPIFacets, false, nil
	}
	fs, err := listParam(v, "facets", append([]string{"none"}, store.AllFacets...))
	if err != nil {
		return nil, false, err
	}
	if len(fs) == 0 || slices.Contains(fs, "none") {
		if len(fs) > 1 {
			return nil, false, errors.New(`facets: "none" cannot be combined with facet names`)
		}
		return nil, true, nil
	}
	return fs, false, nil
}

// listParam accepts repeated and comma-separated values; known (if non-nil)
// lists the accepted values, compared case-insensitively.
func listParam(v url.Values, name string, known []string) ([]string, error) {
	var out []string
	for _, raw := range v[name] {
		for _, s := range strings.Split(raw, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			if known != nil {
				i := slices.IndexFunc(known, func(k string) bool { return strings.EqualFold(k, s) })
				if i < 0 {
					return nil, fmt.Errorf("%s: unknown value %q (known: %s)", name, s, strings.Join(known, ", "))
				}
				s = known[i]
			}
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// timeParam accepts RFC 3339 or a date (YYYY-MM-DD, a day of loc). The
// range is from-inclusive and to-exclusive; a date given as "to" includes
// that whole day (to = the next local midnight).
func timeParam(v url.Values, name string, end bool, loc *time.Location) (time.Time, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %q is neither RFC 3339 (2026-11-20T09:00:00Z) nor a date (2026-11-20)", name, s)
	}
	if loc == nil {
		loc = time.UTC
	}
	day := 0
	if end {
		day = 1
	}
	return time.Date(t.Year(), t.Month(), t.Day()+day, 0, 0, 0, 0, loc).UTC(), nil
}

func intParam(v url.Values, name string, def, lo, hi int) (int, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s: %q must be a whole number from %d to %d", name, s, lo, hi)
	}
	return n, nil
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	n := s.currentNames()
	req, canonical, err := ParseSearch(r.URL.Query(), n.brands, n.networks, s.zone())
	if err != nil {
		writeParseError(w, err)
		return
	}
	release := s.admit(r, req)
	if release == nil {
		busy(w)
		writeError(w, http.StatusTooManyRequests, "too_many_requests", busyMessage)
		return
	}
	defer release()
	res, err := s.opts.Searcher.Search(r.Context(), req)
	if err != nil {
		if errors.Is(err, store.ErrBadRequest) {
			badRequest(w, err.Error())
			return
		}
		s.opts.Logger.Error().Err(err).Str("q", canonical).Msg("search failed")
		writeError(w, http.StatusInternalServerError, "internal", "search failed; see the daemon log")
		return
	}
	writeJSON(w, http.StatusOK, ToSearchResponse(req, canonical, res))
}

// writeParseError answers a ParseSearch error: bad_query with the byte
// offset for a query syntax error, bad_request otherwise.
func writeParseError(w http.ResponseWriter, err error) {
	var se *query.SyntaxError
	if errors.As(err, &se) {
		pos := se.Pos
		writeJSON(w, http.StatusBadRequest, map[string]apiError{"error": {Code: "bad_query", Message: err.Error(), Pos: &pos}})
		return
	}
	badRequest(w, err.Error())
}

// ToSearchResponse builds the API body from a store result.
func ToSearchResponse(req store.SearchRequest, canonical string, res *store.SearchResult) SearchResponse {
	out := SearchResponse{
		Query: canonical, Total: res.Total, TotalIsUpperBound: res.TotalIsUpperBound, Page: req.Page, Size: req.Size, Sort: req.Sort,
		TookMS: float64(res.Took.Microseconds()) / 1000,
		Hits:   make([]HitJSON, 0, len(res.Hits)),
		Facets: map[string][]FacetJSON{},
	}
	for _, h := range res.Hits {
		m := h.Mention
		out.Hits = append(out.Hits, HitJSON{
			ID: m.ID, Network: m.Network, Source: m.Source, Kind: m.Kind, URL: m.URL, Title: m.Title, ParentTitle: m.ParentTitle,
			Author: m.Author, AuthorName: m.AuthorName, Published: m.Published, PublishedEstimated: m.PublishedEstimated, Lang: m.Lang,
			Snippet: h.Snippet, Brands: m.Brands, Topics: m.Topics, Engagement: m.Engagement,
			EngagementTotal: m.EngagementTotal, Sentiment: m.Sentiment, SentimentLabel: m.SentimentLabel, Score: h.Score,
		})
	}
	for name, fcs := range res.Facets {
		list := make([]FacetJSON, 0, len(fcs))
		for _, fc := range fcs {
			list = append(list, FacetJSON{Term: fc.Term, Count: fc.Count})
		}
		out.Facets[name] = list
	}
	return out
}
