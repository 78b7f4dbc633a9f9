package daemon_test

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// hnStream is an endless Hacker News Algolia search_by_date fake for one
// source. Item k (k >= 1) is fixed by k alone: three items share each second
// (so cursors must handle the boundary second), every 7th item is "shared"
// (the same objectID in every stream, to exercise cross-source
// deduplication), some items match no brand. The stream grows by a random
// step on every request, so every poll finds new posts; growth is capped so
// that what one poll can see since its cursor stays within the API's
// 1,000-result window (the documented limit of the network, not a cursor
// bug). It answers like Algolia: newest first, paged by hitsPerPage, with
// nbHits/nbPages, and 400s malformed requests.
type hnStream struct {
	srv  *httptest.Server
	idx  int       // which stream: makes non-shared ids unique
	base time.Time // created time of item 0

	mu       sync.Mutex
	rnd      *rand.Rand
	head     int  // newest item revealed
	served   int  // newest item ever put in a response
	frozen   bool // no more growth
	maxStep  int
	backlog  int // growth cap: items at or after a request's since
	requests int
}

const (
	hnPerSecond  = 3
	hnSharedEach = 7
)

func newHNStream(idx int, seed int64, base time.Time) *hnStream {
	h := &hnStream{idx: idx, base: base, rnd: rand.New(rand.NewSource(seed)), maxStep: 120, backlog: 250}
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	return h
}

func (h *hnStream) close() { h.srv.Close() }

// freeze stops the stream growing: the next poll sees everything that will
// ever exist.
func (h *hnStream) freeze() {
	h.mu.Lock()
	h.frozen = true
	h.mu.Unlock()
}

// servedUpTo is the newest item this stream ever served.
func (h *hnStream) servedUpTo() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.served
}

// created is item k's created_at_i.
func (h *hnStream) created(k int) int64 { return h.base.Unix() + int64(k/hnPerSecond) }

// firstAt is the first item created at or after unix second since.
func (h *hnStream) firstAt(since int64) int {
	d := since - h.base.Unix()
	if d <= 0 {
		return 1
	}
	return max(1, int(d)*hnPerSecond)
}

// objectID is item k's id in this stream.
func (h *hnStream) objectID(k int) string {
	if hnShared(k) {
		return strconv.Itoa(30_000_000 + k)
	}
	return strconv.Itoa(40_000_000 + h.idx*1_000_000 + k)
}

func hnShared(k int) bool { return k%hnSharedEach == 0 }

// hnMatches says whether item k mentions a brand (and is stored).
func hnMatches(k int) bool { return k%5 != 0 && k%11 != 0 }

// hnTexts builds item k's title and HTML text. Every item carries the word
// quokka, so a search for it counts the whole store.
func hnTexts(k int) (title, html string) {
	switch {
	case k%11 == 0 && k%5 != 0:
		// Only an excluded phrase: the brand term is vetoed.
		return "Cartoon history", fmt.Sprintf("<p>The acme road runner gag, quokka edition #%d.</p>", k)
	case k%5 == 0:
		return "Unrelated", fmt.Sprintf("<p>Nothing about brands here, quokka %d &amp; friends.</p>", k)
	case k%3 == 0:
		return "아크미 배터리 후기", fmt.Sprintf("<p>아크미는 배터리가 좋아요 quokka %d</p>", k)
	case k%2 == 0:
		return "Globex vs Acme", fmt.Sprintf("<p>Globex shipped, <i>Acme</i> answered: quokka %d <a href=\"https://example.com/%d\">link</a></p>", k, k)
	default:
		return "Ask HN: Acme battery", fmt.Sprintf("Acme battery life is great, quokka %d", k)
	}
}

// hit is item k as Algolia returns it.
func (h *hnStream) hit(k int) map[string]any {
	id := h.objectID(k)
	created := h.created(k)
	title, text := hnTexts(k)
	author := fmt.Sprintf("user%d", k%97)
	m := map[string]any{
		"objectID":     id,
		"author":       author,
		"created_at":   time.Unix(created, 0).UTC().Format("2006-01-02T15:04:05.000Z"),
		"created_at_i": created,
		"updated_at":   time.Unix(created, 0).UTC().Format("2006-01-02T15:04:05.000Z"),
	}
	if k%4 == 0 {
		m["_tags"] = []string{"story", "author_" + author, "story_" + id}
		m["title"] = title
		m["story_text"] = text
		m["url"] = nil
		m["points"] = k % 50
		m["num_comments"] = k % 9
		m["story_id"] = k
		return m
	}
	m["_tags"] = []string{"comment", "author_" + author, "story_1"}
	m["comment_text"] = text
	m["story_title"] = title
	m["story_id"] = 1
	m["parent_id"] = 1
	m["title"] = nil
	m["points"] = nil
	m["num_comments"] = nil
	return m
}

func (h *hnStream) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/api/v1/search_by_date" {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	nf := q.Get("numericFilters")
	since, err := strconv.ParseInt(strings.TrimPrefix(nf, "created_at_i>="), 10, 64)
	if err != nil || !strings.HasPrefix(nf, "created_at_i>=") {
		http.Error(w, `{"message":"invalid numericFilters","status":400}`, http.StatusBadRequest)
		return
	}
	page, err1 := strconv.Atoi(q.Get("page"))
	per, err2 := strconv.Atoi(q.Get("hitsPerPage"))
	if err1 != nil || err2 != nil || page < 0 || per <= 0 || per > 1000 {
		http.Error(w, `{"message":"invalid paging","status":400}`, http.StatusBadRequest)
		return
	}

	h.mu.Lock()
	h.requests++
	first := h.firstAt(since)
	if !h.frozen {
		h.head = min(h.head+h.rnd.Intn(h.maxStep+1), first+h.backlog)
	}
	head := h.head
	// Newest first: positions page*per .. of the items first..head.
	n := max(0, head-first+1)
	var ks []int
	for pos := page * per; pos < min(n, (page+1)*per); pos++ {
		ks = append(ks, head-pos)
	}
	if len(ks) > 0 {
		h.served = max(h.served, ks[0])
	}
	h.mu.Unlock()

	hits := make([]map[string]any, 0, len(ks))
	for _, k := range ks {
		if h.created(k) >= since {
			hits = append(hits, h.hit(k))
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"hits": hits, "nbHits": n, "page": page, "nbPages": (n + per - 1) / per, "hitsPerPage": per,
		"exhaustiveNbHits": true, "query": q.Get("query"), "params": r.URL.RawQuery, "processingTimeMS": 1,
	})
}
