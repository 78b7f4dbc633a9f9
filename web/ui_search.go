package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot/query"
	"github.com/earshot/earshot/store"
)

// uiFacets are counted for the search page.
var uiFacets = []string{store.FacetBrand, store.FacetNetwork, store.FacetLang, store.FacetSentiment, store.FacetKind}

// searchParams are the query parameters the search page keeps in its links.
var searchParams = []string{"q", "brand", "network", "lang", "sentiment", "kind", "topic", "reply", "from", "to", "sort", "size"}

type option struct {
	Value, Label string
	Selected     bool
}

type facetLink struct {
	Term   string
	Count  int
	Href   string
	Active bool
}

type facetGroup struct {
	Name, Label string
	Values      []facetLink
}

type pageLink struct {
	N       int
	Href    string
	Current bool
}

type searchPage struct {
	page
	Q, From, To, Sort string
	// Topic and Reply are the report's figure-link filters (no control:
	// shown and kept by the form as they came).
	Topic, Reply string
	// A malformed query: the message, and the query cut at the error.
	Error, ErrBefore, ErrAt, ErrAfter string
	HasErrPos                         bool
	Res                               *SearchResponse
	Facets                            []facetGroup
	Brands, Networks, Langs           []option
	Sentiments, Kinds, Sorts          []option
	Presets                           []option // Value is the link
	Pages                             []pageLink
	Prev, Next                        string
	First, Last                       uint64 // 1-based positions shown
	ExportCSV, ExportJSONL            string
	// ExportCut is set when the search has more mentions than one export
	// returns (ExportMax); the page says so and how to get the rest.
	ExportCut bool
	ExportMax int
}

func (s *Server) handleSearchPage(w http.ResponseWriter, r *http.Request) {
	v := keep(r.URL.Query())
	n := s.currentNames()
	p := searchPage{page: s.page(r, "search"), Q: v.Get("q"), From: v.Get("from"), To: v.Get("to"), Sort: v.Get("sort"),
		Topic: v.Get("topic"), Reply: v.Get("reply")}
	p.Title = "Search"
	p.Brands = options(n.brands, nil, v["brand"])
	p.Networks = options(n.networks, nil, v["network"])
	p.Langs = options([]string{"en", "ko", "other"}, map[string]string{"en": "English", "ko": "Korean", "other": "Other"}, v["lang"])
	p.Sentiments = options(sentimentLabels, nil, v["sentiment"])
	p.Kinds = options([]string{store.KindMention, store.KindOwned}, map[string]string{store.KindMention: "Mentions by others", store.KindOwned: "Own posts"}, v["kind"])
	p.Sorts = options([]string{"", "relevance", "newest", "engagement"}, map[string]string{"": "Best (relevance with a query)", "relevance": "Relevance", "newest": "Newest", "engagement": "Interactions"}, []string{p.Sort})
	p.Presets = s.presets(v)

	pv := cloneValues(v)
	pv.Set("facets", strings.Join(uiFacets, ","))
	pv.Set("page", r.URL.Query().Get("page"))
	req, canonical, err := ParseSearch(pv, n.brands, n.networks, s.zone())
	status := http.StatusOK
	if err == nil {
		release := s.admit(r, req)
		if release == nil {
			busy(w)
			p.Error = busyMessage
			s.render(w, r, http.StatusTooManyRequests, "search.html", p)
			return
		}
		defer release()
		var res *store.SearchResult
		res, err = s.opts.Searcher.Search(r.Context(), req)
		if err == nil {
			out := ToSearchResponse(req, canonical, res)
			p.Res = &out
			s.fillResults(&p, v, req, out)
		} else if !errors.Is(err, store.ErrBadRequest) {
			s.opts.Logger.Error().Err(err).Str("q", canonical).Msg("search page failed")
			p.Error = "The search failed on the server; the daemon log says why."
			s.render(w, r, http.StatusInternalServerError, "search.html", p)
			return
		}
	}
	if err != nil {
		status = http.StatusBadRequest
		p.Error = err.Error()
		var se *query.SyntaxError
		if errors.As(err, &se) && se.Pos >= 0 && se.Pos <= len(p.Q) {
			q := p.Q
			p.HasErrPos = true
			p.ErrBefore, p.ErrAt, p.ErrAfter = q[:se.Pos], "", q[se.Pos:]
			if se.Pos < len(q) {
				_, size := utf8.DecodeRuneInString(q[se.Pos:])
				p.ErrAt, p.ErrAfter = q[se.Pos:se.Pos+size], q[se.Pos+size:]
			}
		}
	}
	s.render(w, r, status, "search.html", p)
}

func (s *Server) fillResults(p *searchPage, v url.Values, req store.SearchRequest, out SearchResponse) {
	labels := map[string]string{"brand": "Brand", "network": "Network", "lang": "Language", "sentiment": "Sentiment", "kind": "Kind"}
	for _, f := range uiFacets {
		g := facetGroup{Name: f, Label: labels[f]}
		for _, fc := range out.Facets[f] {
			active := contains(v[f], fc.Term)
			lv := cloneValues(v)
			if active {
				lv.Del(f)
			} else {
				lv.Set(f, fc.Term)
			}
			g.Values = append(g.Values, facetLink{Term: fc.Term, Count: fc.Count, Active: active, Href: "/?" + lv.Encode()})
		}
		p.Facets = append(p.Facets, g)
	}
	last := lastPage(out.Total, req.Size)
	link := func(n int) string {
		lv := cloneValues(v)
		if n > 1 {
			lv.Set("page", strconv.Itoa(n))
		}
		return "/?" + lv.Encode()
	}
	if req.Page > 1 {
		p.Prev = link(req.Page - 1)
	}
	if req.Page < last {
		p.Next = link(req.Page + 1)
	}
	for n := max(1, req.Page-2); n <= min(last, req.Page+2); n++ {
		p.Pages = append(p.Pages, pageLink{N: n, Href: link(n), Current: n == req.Page})
	}
	if len(out.Hits) > 0 {
		p.First = uint64((req.Page-1)*req.Size + 1)
		p.Last = p.First + uint64(len(out.Hits)) - 1
	}
	ev := cloneValues(v)
	ev.Del("size")
	ev.Set("format", "csv")
	p.ExportCSV = "/api/export?" + ev.Encode()
	ev.Set("format", "jsonl")
	p.ExportJSONL = "/api/export?" + ev.Encode()
	p.ExportMax = s.exportLimit()
	p.ExportCut = out.Total > uint64(p.ExportMax)
}

// lastPage is the last page reachable for total hits (the store pages
// through the first 10,000 results, the API to page 1000).
func lastPage(total uint64, size int) int {
	if size <= 0 {
		return 1
	}
	n := int(min(total, 10000)+uint64(size)-1) / size
	return max(1, min(n, maxPage, 10000/size))
}

// presets are quick time ranges in whole days of the configured time zone
// (the days the report counts): "Today" is the local day so far.
func (s *Server) presets(v url.Values) []option {
	now := s.opts.Clock().In(s.zone())
	today := now.Format(time.DateOnly)
	var out []option
	for _, d := range []struct {
		label string
		days  int
	}{{"Today", 0}, {"7 days", 6}, {"30 days", 29}, {"90 days", 89}} {
		from := now.AddDate(0, 0, -d.days).Format(time.DateOnly)
		lv := cloneValues(v)
		lv.Set("from", from)
		lv.Del("to")
		out = append(out, option{Value: "/?" + lv.Encode(), Label: d.label, Selected: v.Get("from") == from && (v.Get("to") == "" || v.Get("to") == today)})
	}
	lv := cloneValues(v)
	lv.Del("from")
	lv.Del("to")
	out = append(out, option{Value: "/?" + lv.Encode(), Label: "Any time", Selected: v.Get("from") == "" && v.Get("to") == ""})
	return out
}

// keep returns the search parameters of v, empty ones dropped.
func keep(v url.Values) url.Values {
	out := url.Values{}
	for _, k := range searchParams {
		for _, x := range v[k] {
			if x != "" {
				out.Add(k, x)
			}
		}
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, xs := range v {
		out[k] = append([]string(nil), xs...)
	}
	return out
}

func options(values []string, labels map[string]string, selected []string) []option {
	out := make([]option, 0, len(values))
	for _, v := range values {
		l := labels[v]
		if l == "" {
			l = v
		}
		out = append(out, option{Value: v, Label: l, Selected: contains(selected, v)})
	}
	return out
}

// contains reports whether xs holds x, ignoring case (filters are
// case-insensitive).
func contains(xs []string, x string) bool {
	for _, v := range xs {
		if strings.EqualFold(v, x) {
			return true
		}
	}
	return false
}
