package mastodonfake

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

func (h *handler) serveTag(w http.ResponseWriter, r *http.Request, tag string, authed bool) {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if h.opts.HashtagFeeds == "authenticated" && !authed {
		h.fail(w, http.StatusUnauthorized, "auth_required")
		return
	}
	known := false
	var sel []entry
	for _, e := range h.pool.entries {
		if !e.tags[tag] || e.reblog {
			continue
		}
		known = true
		if e.visibility == "public" {
			sel = append(sel, e)
		}
	}
	if !known || tag == "" {
		h.fail(w, http.StatusNotFound, "not_found")
		return
	}
	if h.opts.HashtagFeeds == "disabled" {
		sel = nil
	}
	h.page(w, r, sel)
}

func (h *handler) serveSearch(w http.ResponseWriter, r *http.Request, authed bool) {
	q := r.URL.Query()
	words := strings.Fields(strings.ToLower(q.Get("q")))
	if len(words) == 0 {
		writeJSON(w, map[string]any{"accounts": []any{}, "statuses": []any{}, "hashtags": []any{}})
		return
	}
	var sel []entry
	if authed && (q.Get("type") == "" || q.Get("type") == "statuses") {
	next:
		for _, e := range h.pool.entries {
			if e.reblog || (e.visibility != "public" && e.visibility != "unlisted") {
				continue
			}
			for _, word := range words {
				if !strings.Contains(e.text, word) {
					continue next
				}
			}
			sel = append(sel, e)
		}
	}
	statuses := selectPage(sel, q)
	raws := make([]any, len(statuses))
	for i, e := range statuses {
		raws[i] = e.raw
	}
	writeJSON(w, map[string]any{"accounts": []any{}, "statuses": raws, "hashtags": []any{}})
}

func (h *handler) serveLookup(w http.ResponseWriter, r *http.Request) {
	acct := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(r.URL.Query().Get("acct")), "@"))
	domain := h.domain()
	for _, acc := range h.pool.accounts {
		a := strings.ToLower(str(acc["acct"]))
		if acct != "" && (a == acct || (!strings.Contains(a, "@") && acct == a+"@"+domain)) {
			writeJSON(w, acc)
			return
		}
	}
	h.fail(w, http.StatusNotFound, "not_found")
}

// domain is the instance's own domain, the host of a local account's URL.
func (h *handler) domain() string {
	for _, acc := range h.pool.accounts {
		if !strings.Contains(str(acc["acct"]), "@") {
			if u, err := url.Parse(str(acc["url"])); err == nil {
				return strings.ToLower(u.Host)
			}
		}
	}
	return ""
}

func (h *handler) serveAccount(w http.ResponseWriter, r *http.Request, id string) {
	if _, ok := h.pool.accounts[id]; !ok {
		h.fail(w, http.StatusNotFound, "not_found")
		return
	}
	noBoosts := r.URL.Query().Get("exclude_reblogs") == "true"
	var sel []entry
	for _, e := range h.pool.entries {
		if e.accountID != id || (e.visibility != "public" && e.visibility != "unlisted") || (noBoosts && e.reblog) {
			continue
		}
		sel = append(sel, e)
	}
	h.page(w, r, sel)
}

// page writes one page of sel (newest first) as a JSON array, with a Link
// header when it is not empty.
func (h *handler) page(w http.ResponseWriter, r *http.Request, sel []entry) {
	q := r.URL.Query()
	out := selectPage(sel, q)
	if len(out) > 0 {
		base := requestBase(r)
		lim := strconv.Itoa(limitOf(q))
		w.Header().Set("Link", "<"+base+"?limit="+lim+"&max_id="+strconv.FormatUint(out[len(out)-1].id, 10)+`>; rel="next", <`+
			base+"?limit="+lim+"&min_id="+strconv.FormatUint(out[0].id, 10)+`>; rel="prev"`)
	}
	raws := make([]any, len(out))
	for i, e := range out {
		raws[i] = e.raw
	}
	writeJSON(w, raws)
}

// selectPage applies max_id, since_id, min_id and limit to sel (newest
// first). With min_id the page is the limit statuses immediately newer
// than min_id; otherwise the newest limit statuses.
func selectPage(sel []entry, q url.Values) []entry {
	maxID, hasMax := idParam(q, "max_id")
	sinceID, hasSince := idParam(q, "since_id")
	minID, hasMin := idParam(q, "min_id")
	var in []entry
	for _, e := range sel {
		if (hasMax && e.id >= maxID) || (hasSince && e.id <= sinceID) || (hasMin && e.id <= minID) {
			continue
		}
		in = append(in, e)
	}
	n := min(limitOf(q), len(in))
	if hasMin {
		return in[len(in)-n:]
	}
	return in[:n]
}

func idParam(q url.Values, k string) (uint64, bool) {
	v, err := strconv.ParseUint(q.Get(k), 10, 64)
	return v, err == nil
}

func limitOf(q url.Values) int {
	n, err := strconv.Atoi(q.Get("limit"))
	if err != nil || n <= 0 {
		return 20
	}
	return min(n, 40)
}

// requestBase is the absolute URL of the request path as the client sent
// it, including any prefix removed by http.StripPrefix.
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	p := r.URL.Path
	if u, err := url.ParseRequestURI(r.RequestURI); err == nil && strings.HasSuffix(u.Path, p) {
		p = u.Path
	}
	return scheme + "://" + r.Host + p
}
