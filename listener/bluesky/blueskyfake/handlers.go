package blueskyfake

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// params reads limit (default def) and the time parameters, answering 400
// when one is bad.
func limitParam(w http.ResponseWriter, q url.Values, def int) (int, bool) {
	v := q.Get("limit")
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100 {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Error: limit must be an integer between 1 and 100")
		return 0, false
	}
	return n, true
}

func timeParam(w http.ResponseWriter, q url.Values, name string) (time.Time, bool) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, true
	}
	for _, l := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), true
		}
	}
	xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Error: "+name+" must be a valid datetime or date")
	return time.Time{}, false
}

func (s *server) unusable(w http.ResponseWriter) bool {
	if s.loadOK != nil {
		xrpcError(w, http.StatusInternalServerError, "InternalServerError", "Internal Server Error")
		return true
	}
	return false
}

// searchPosts: app.bsky.feed.searchPosts, offset-cursor paging.
func (s *server) searchPosts(w http.ResponseWriter, r *http.Request) {
	if s.unusable(w) {
		return
	}
	q := r.URL.Query()
	query := strings.TrimSpace(q.Get("q"))
	if query == "" {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", `Error: Params must have the property "q"`)
		return
	}
	if srt := q.Get("sort"); srt != "" && srt != "latest" && srt != "top" {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", `Error: sort must be one of "top", "latest"`)
		return
	}
	limit, ok := limitParam(w, q, 25)
	if !ok {
		return
	}
	since, ok := timeParam(w, q, "since")
	if !ok {
		return
	}
	until, ok := timeParam(w, q, "until")
	if !ok {
		return
	}
	offset := 0
	if c := q.Get("cursor"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 {
			xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Malformed cursor")
			return
		}
		offset = n
	}
	var hits []*poolPost
	for _, p := range s.pool.posts {
		if (!since.IsZero() && p.sortAt.Before(since)) || (!until.IsZero() && !p.sortAt.Before(until)) {
			continue
		}
		if matches(p.text, query) {
			hits = append(hits, p)
		}
	}
	out := map[string]any{"hitsTotal": len(hits)}
	views := []any{}
	for i := offset; i < len(hits) && i < offset+limit; i++ {
		views = append(views, hits[i].raw)
	}
	out["posts"] = views
	if offset+limit < len(hits) {
		out["cursor"] = strconv.Itoa(offset + limit)
	}
	writeJSON(w, http.StatusOK, out)
}

// feedEntry is one getAuthorFeed item before rendering.
type feedEntry struct {
	at     time.Time
	post   *poolPost
	repost bool
}

// authorFeed: app.bsky.feed.getAuthorFeed, time-cursor paging.
func (s *server) authorFeed(w http.ResponseWriter, r *http.Request) {
	if s.unusable(w) {
		return
	}
	q := r.URL.Query()
	prof := s.actor(w, q.Get("actor"))
	if prof == nil {
		return
	}
	limit, ok := limitParam(w, q, 50)
	if !ok {
		return
	}
	filter := q.Get("filter")
	switch filter {
	case "", "posts_with_replies", "posts_no_replies", "posts_with_media", "posts_and_author_threads", "posts_with_video":
	default:
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Error: filter must be one of posts_with_replies, posts_no_replies, posts_with_media, posts_and_author_threads, posts_with_video")
		return
	}
	var before time.Time
	if c := q.Get("cursor"); c != "" {
		t, err := time.Parse(time.RFC3339Nano, c)
		if err != nil {
			xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Malformed cursor")
			return
		}
		before = t
	}
	did, handle := str(prof["did"]), str(prof["handle"])
	var entries []feedEntry
	for _, p := range s.pool.posts {
		if p.did != did || !s.keep(p, filter, did) {
			continue
		}
		entries = append(entries, feedEntry{at: p.sortAt, post: p})
	}
	for _, rp := range s.pool.reposts {
		if strings.EqualFold(rp.by, handle) && (filter == "" || filter == "posts_with_replies" || filter == "posts_no_replies") {
			entries = append(entries, feedEntry{at: rp.indexedAt, post: s.pool.byURI[rp.uri], repost: true})
		}
	}
	sortEntries(entries)
	feed := []any{}
	var last time.Time
	more := false
	for _, e := range entries {
		if !before.IsZero() && !e.at.Before(before) {
			continue
		}
		if len(feed) == limit {
			more = true
			break
		}
		feed = append(feed, s.item(e, prof))
		last = e.at
	}
	out := map[string]any{"feed": feed}
	if more {
		out["cursor"] = last.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) keep(p *poolPost, filter, did string) bool {
	switch filter {
	case "posts_no_replies":
		return p.parent == ""
	case "posts_with_media", "posts_with_video":
		return p.hasImages
	case "posts_and_author_threads":
		root := s.pool.byURI[p.root]
		return p.parent == "" || (root != nil && root.did == did)
	}
	return true
}

func sortEntries(es []feedEntry) {
	for i := 1; i < len(es); i++ { // insertion sort, newest first, stable
		for j := i; j > 0 && es[j].at.After(es[j-1].at); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// item renders a feedViewPost.
func (s *server) item(e feedEntry, prof map[string]any) map[string]any {
	it := map[string]any{"post": e.post.raw}
	if e.repost {
		it["reason"] = map[string]any{
			"$type":     "app.bsky.feed.defs#reasonRepost",
			"by":        map[string]any{"did": prof["did"], "handle": prof["handle"], "displayName": prof["displayName"], "avatar": prof["avatar"]},
			"indexedAt": e.at.UTC().Format("2006-01-02T15:04:05.000Z"),
		}
	}
	if e.post.parent != "" {
		it["reply"] = map[string]any{"parent": s.refView(e.post.parent), "root": s.refView(e.post.root)}
	}
	return it
}

// refView is the PostView of uri, or notFoundPost when it is not in the pool.
func (s *server) refView(uri string) map[string]any {
	p := s.pool.byURI[uri]
	if p == nil {
		return map[string]any{"$type": "app.bsky.feed.defs#notFoundPost", "uri": uri, "notFound": true}
	}
	v := make(map[string]any, len(p.raw)+1)
	for k, x := range p.raw {
		v[k] = x
	}
	v["$type"] = "app.bsky.feed.defs#postView"
	return v
}

// profile: app.bsky.actor.getProfile.
func (s *server) profile(w http.ResponseWriter, r *http.Request) {
	if s.unusable(w) {
		return
	}
	if prof := s.actor(w, r.URL.Query().Get("actor")); prof != nil {
		writeJSON(w, http.StatusOK, prof)
	}
}

// actor resolves the actor parameter, answering 400 when it cannot.
func (s *server) actor(w http.ResponseWriter, actor string) map[string]any {
	if strings.TrimSpace(actor) == "" {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", `Error: Params must have the property "actor"`)
		return nil
	}
	prof := s.pool.profile(actor)
	if prof == nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(s.errBody("profile_not_found.json", "InvalidRequest", "Profile not found"))
	}
	return prof
}
