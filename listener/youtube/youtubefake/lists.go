package youtubefake

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

func str(o obj, keys ...string) string {
	var cur any = o
	for _, k := range keys {
		m, ok := cur.(obj)
		if !ok {
			return ""
		}
		cur = m[k]
	}
	s, _ := cur.(string)
	return s
}

func sortNewest(items []obj, at func(obj) string) {
	sort.SliceStable(items, func(i, j int) bool { return at(items[i]) > at(items[j]) })
}

func etag(parts ...string) string {
	h := sha1.Sum([]byte(strings.Join(parts, "|")))
	return hex.EncodeToString(h[:])[:27]
}

// page cuts items by maxResults/pageToken; ok is false for a bad token.
func page(r *http.Request, n, def, hi int) (from, to int, next string, ok bool) {
	size := def
	if v, err := strconv.Atoi(r.URL.Query().Get("maxResults")); err == nil && v >= 0 {
		size = min(v, hi)
	}
	if tok := r.URL.Query().Get("pageToken"); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		off, err2 := strconv.Atoi(strings.TrimPrefix(string(b), "CAo"))
		if err != nil || err2 != nil || !strings.HasPrefix(string(b), "CAo") || off < 0 || off > n {
			return 0, 0, "", false
		}
		from = off
	}
	to = min(from+size, n)
	if to < n && size > 0 {
		next = base64.RawURLEncoding.EncodeToString([]byte("CAo" + strconv.Itoa(to)))
	}
	return from, to, next, true
}

func listResponse(kind string, items []obj, total, from, to int, next string) obj {
	resp := obj{"kind": kind, "etag": etag(kind, strconv.Itoa(from), strconv.Itoa(total)),
		"pageInfo": obj{"totalResults": total, "resultsPerPage": to - from}}
	if next != "" {
		resp["nextPageToken"] = next
	}
	if len(items) > 0 {
		resp["items"] = items
	}
	return resp
}

// escape is the HTML escaping YouTube applies to search snippets.
var escape = strings.NewReplacer("&", "&amp;", "'", "&#39;", `"`, "&quot;", "<", "&lt;", ">", "&gt;").Replace

func (f *Fake) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var after time.Time
	if v := q.Get("publishedAfter"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			f.fail(w, "invalidPublishedAfter", http.StatusBadRequest)
			return
		}
		after = t
	}
	words := strings.Fields(strings.ToLower(strings.NewReplacer(`"`, " ", "|", " ").Replace(q.Get("q"))))
	var hits []obj
	for _, v := range f.videos {
		hay := strings.ToLower(str(v, "snippet", "title") + " " + str(v, "snippet", "description") + " " + str(v, "snippet", "channelTitle"))
		t, _ := time.Parse(time.RFC3339, str(v, "snippet", "publishedAt"))
		if t.Before(after) || (q.Get("channelId") != "" && q.Get("channelId") != str(v, "snippet", "channelId")) {
			continue
		}
		match := true
		for _, wd := range words {
			match = match && strings.Contains(hay, wd)
		}
		if match {
			hits = append(hits, v)
		}
	}
	from, to, next, ok := page(r, len(hits), 5, 50)
	if !ok {
		f.fail(w, "invalidPageToken", http.StatusBadRequest)
		return
	}
	items := []obj{}
	for _, v := range hits[from:to] {
		sn := v["snippet"].(obj)
		id, _ := v["id"].(string)
		items = append(items, obj{
			"kind": "youtube#searchResult", "etag": etag("s", id), "id": obj{"kind": "youtube#video", "videoId": id},
			"snippet": obj{
				"publishedAt": sn["publishedAt"], "channelId": sn["channelId"], "title": escape(str(sn, "title")),
				"description": escape(truncate(str(sn, "description"), 160)), "thumbnails": sn["thumbnails"],
				"channelTitle": escape(str(sn, "channelTitle")), "liveBroadcastContent": "none", "publishTime": sn["publishedAt"],
			},
		})
	}
	resp := listResponse("youtube#searchListResponse", items, len(hits), from, to, next)
	resp["regionCode"] = "KR"
	writeJSON(w, http.StatusOK, resp)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "..."
}

func (f *Fake) videosList(w http.ResponseWriter, r *http.Request) {
	ids := splitIDs(r.URL.Query().Get("id"))
	if len(ids) == 0 || len(ids) > 50 {
		f.fail(w, "missingRequiredParameter", http.StatusBadRequest)
		return
	}
	part := r.URL.Query().Get("part")
	var items []obj
	for _, id := range ids {
		for _, v := range f.videos {
			if v["id"] != id {
				continue
			}
			it := obj{"kind": "youtube#video", "etag": v["etag"], "id": id}
			for _, p := range []string{"snippet", "statistics"} {
				if strings.Contains(part, p) {
					it[p] = v[p]
				}
			}
			if st, ok := it["statistics"].(obj); ok {
				it["statistics"] = f.grown(st, str(v, "snippet", "publishedAt"))
			}
			items = append(items, it)
		}
	}
	writeJSON(w, http.StatusOK, listResponse("youtube#videoListResponse", items, len(items), 0, len(items), ""))
}

func splitIDs(s string) []string {
	var out []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

func (f *Fake) channelsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var items []obj
	if h := q.Get("forHandle"); h != "" {
		h = "@" + strings.ToLower(strings.TrimPrefix(h, "@"))
		for _, c := range f.channels {
			if strings.ToLower(str(c, "snippet", "customUrl")) == h {
				items = append(items, c)
			}
		}
	} else {
		for _, id := range splitIDs(q.Get("id")) {
			for _, c := range f.channels {
				if c["id"] == id {
					items = append(items, c)
				}
			}
		}
	}
	writeJSON(w, http.StatusOK, listResponse("youtube#channelListResponse", items, len(items), 0, len(items), ""))
}

func (f *Fake) playlistItems(w http.ResponseWriter, r *http.Request) {
	pl := r.URL.Query().Get("playlistId")
	ch := "UC" + strings.TrimPrefix(pl, "UU")
	var owner obj
	for _, c := range f.channels {
		if c["id"] == ch {
			owner = c
		}
	}
	if !strings.HasPrefix(pl, "UU") || owner == nil {
		f.fail(w, "playlistNotFound", http.StatusNotFound)
		return
	}
	var all []obj
	for _, v := range f.videos {
		if str(v, "snippet", "channelId") != ch {
			continue
		}
		if len(all) == 1 { // a deleted upload, as the real playlist keeps it
			all = append(all, obj{"kind": "youtube#playlistItem", "etag": etag("del", pl), "id": etag("delid", pl),
				"snippet": obj{"publishedAt": str(v, "snippet", "publishedAt"), "channelId": ch, "title": "Deleted video",
					"description": "This video is unavailable.", "thumbnails": obj{}, "channelTitle": str(owner, "snippet", "title"),
					"playlistId": pl, "resourceId": obj{"kind": "youtube#video", "videoId": "zzDeleted00"}},
				"contentDetails": obj{"videoId": "zzDeleted00"}})
		}
		sn := v["snippet"].(obj)
		id, _ := v["id"].(string)
		all = append(all, obj{"kind": "youtube#playlistItem", "etag": etag("pi", id), "id": etag("piid", pl, id),
			"snippet": obj{"publishedAt": sn["publishedAt"], "channelId": ch, "title": sn["title"], "description": sn["description"],
				"thumbnails": sn["thumbnails"], "channelTitle": sn["channelTitle"], "playlistId": pl,
				"resourceId": obj{"kind": "youtube#video", "videoId": id}, "videoOwnerChannelTitle": sn["channelTitle"], "videoOwnerChannelId": ch},
			"contentDetails": obj{"videoId": id, "videoPublishedAt": sn["publishedAt"]}})
	}
	from, to, next, ok := page(r, len(all), 5, 50)
	if !ok {
		f.fail(w, "invalidPageToken", http.StatusBadRequest)
		return
	}
	items := all[from:to]
	for i, it := range items {
		it["snippet"].(obj)["position"] = from + i
	}
	writeJSON(w, http.StatusOK, listResponse("youtube#playlistItemListResponse", items, len(all), from, to, next))
}

func (f *Fake) commentThreads(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	vid, ch := q.Get("videoId"), q.Get("allThreadsRelatedToChannelId")
	if vid != "" {
		var v obj
		for _, x := range f.videos {
			if x["id"] == vid {
				v = x
			}
		}
		if v == nil {
			f.fail(w, "videoNotFound", http.StatusNotFound)
			return
		}
		if st, _ := v["statistics"].(obj); st["commentCount"] == nil {
			f.fail(w, "commentsDisabled", http.StatusForbidden)
			return
		}
	} else if ch == "" {
		f.fail(w, "missingRequiredParameter", http.StatusBadRequest)
		return
	}
	var all []obj
	for _, t := range f.threads {
		if (vid != "" && str(t, "snippet", "videoId") == vid) || (ch != "" && str(t, "snippet", "channelId") == ch) {
			all = append(all, t)
		}
	}
	from, to, next, ok := page(r, len(all), 20, 100)
	if !ok {
		f.fail(w, "invalidPageToken", http.StatusBadRequest)
		return
	}
	items := make([]obj, 0, to-from)
	for _, t := range all[from:to] {
		c := obj{}
		for k, v := range t {
			if k != "replies" || strings.Contains(q.Get("part"), "replies") {
				c[k] = v
			}
		}
		items = append(items, c)
	}
	writeJSON(w, http.StatusOK, listResponse("youtube#commentThreadListResponse", items, len(all), from, to, next))
}
