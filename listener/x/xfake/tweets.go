package xfake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

var (
	searchParams   = params("query max_results since_id until_id start_time end_time next_token sort_order")
	timelineParams = params("max_results since_id until_id start_time end_time pagination_token exclude")
	userParams     = params("")
	tweetDefaults  = []string{"id", "text", "edit_history_tweet_ids"}
	userDefaults   = []string{"id", "name", "username"}
)

func params(s string) map[string]bool {
	m := map[string]bool{"tweet.fields": true, "user.fields": true, "expansions": true, "media.fields": true, "place.fields": true, "poll.fields": true}
	for _, p := range strings.Fields(s) {
		m[p] = true
	}
	return m
}

// checkParams rejects unknown or repeated parameters as X does.
func checkParams(w http.ResponseWriter, q url.Values, allowed map[string]bool) bool {
	for k, vs := range q {
		if !allowed[k] {
			invalid(w, k, strings.Join(vs, ","), "The query parameter [%s] is not one of the allowed parameters", k)
			return false
		}
		if len(vs) > 1 {
			invalid(w, k, strings.Join(vs, ","), "Duplicate parameter [%s]", k)
			return false
		}
	}
	return true
}

func (s *server) serveTweets(w http.ResponseWriter, r *http.Request, timeline bool, userID string) {
	q := r.URL.Query()
	allowed, minN, tokenParam := searchParams, 10, "next_token"
	if timeline {
		allowed, minN, tokenParam = timelineParams, 5, "pagination_token"
	}
	if !checkParams(w, q, allowed) {
		return
	}
	now := s.opts.Clock().UTC()
	f := filter{notAfter: now}
	subject := q.Get("query")
	if timeline {
		u := s.pool.users[userID]
		if _, err := strconv.ParseUint(userID, 10, 64); err != nil {
			invalid(w, "id", userID, "The `id` query parameter value [%s] does not match ^[0-9]{1,19}$", userID)
			return
		}
		if u == nil {
			s.notFound(w, "user", "id", userID, "Could not find user with id: ["+userID+"].")
			return
		}
		subject, f.authorID = u.username, userID
		for _, e := range strings.Split(q.Get("exclude"), ",") {
			switch e {
			case "retweets":
				f.excludeRT = true
			case "replies":
				f.excludeReply = true
			case "":
			default:
				invalid(w, "exclude", e, "The `exclude` query parameter value [%s] is not one of [replies,retweets]", e)
				return
			}
		}
	} else {
		query := q.Get("query")
		if len(query) > 512 || strings.TrimSpace(query) == "" {
			invalid(w, "query", query, "The `query` query parameter value must be between 1 and 512 characters long")
			return
		}
		m, err := parseQuery(query)
		if err != nil {
			invalid(w, "query", query, "There were errors processing your request: %s", err)
			return
		}
		f.match = m
		f.start = now.Add(-7 * 24 * time.Hour)
	}
	if name := s.failure(subject); name != "" {
		s.failWith(w, name)
		return
	}
	n := 10
	if v := q.Get("max_results"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < minN || n > 100 {
			invalid(w, "max_results", v, "The `max_results` query parameter value [%s] is not between %d and 100", v, minN)
			return
		}
	}
	for _, p := range []struct {
		name string
		dst  *uint64
	}{{"since_id", &f.since}, {"until_id", &f.until}} {
		if v := q.Get(p.name); v != "" {
			id, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				invalid(w, p.name, v, "The `%s` query parameter value [%s] does not match ^[0-9]{1,19}$", p.name, v)
				return
			}
			*p.dst = id
		}
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"start_time", &f.start}, {"end_time", &f.end}} {
		if v := q.Get(p.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				invalid(w, p.name, v, "Invalid '%s':'%s'. '%s' must be a valid RFC 3339 date", p.name, v, p.name)
				return
			}
			if !timeline && t.Before(now.Add(-7*24*time.Hour)) {
				invalid(w, p.name, v, "Invalid '%s':'%s'. '%s' must be on or after %s", p.name, v, p.name, now.Add(-7*24*time.Hour).Format("2006-01-02T15:04Z"))
				return
			}
			*p.dst = t
		}
	}
	tweets, next, err := s.pool.selectPage(f, q.Get(tokenParam), n)
	if err != nil {
		invalid(w, tokenParam, q.Get(tokenParam), "The `%s` query parameter value [%s] is not valid", tokenParam, q.Get(tokenParam))
		return
	}
	writeJSON(w, http.StatusOK, s.page(tweets, next, q))
}

// page builds the response body: data (absent when empty), includes.users
// for the authors when expanded, errors for authors that cannot be, meta.
func (s *server) page(tweets []*poolTweet, next string, q url.Values) map[string]any {
	body := map[string]any{}
	meta := map[string]any{"result_count": len(tweets)}
	if len(tweets) > 0 {
		data := make([]map[string]json.RawMessage, 0, len(tweets))
		for _, t := range tweets {
			data = append(data, project(t.raw, tweetDefaults, q.Get("tweet.fields")))
		}
		body["data"] = data
		meta["newest_id"] = strconv.FormatUint(tweets[0].id, 10)
		meta["oldest_id"] = strconv.FormatUint(tweets[len(tweets)-1].id, 10)
	}
	if next != "" {
		meta["next_token"] = next
	}
	if strings.Contains(q.Get("expansions"), "author_id") && len(tweets) > 0 {
		var users []map[string]json.RawMessage
		var errs []map[string]any
		seen := map[string]bool{}
		for _, t := range tweets {
			if seen[t.authorID] {
				continue
			}
			seen[t.authorID] = true
			if u := s.pool.users[t.authorID]; u != nil {
				users = append(users, project(u.raw, userDefaults, q.Get("user.fields")))
			} else {
				errs = append(errs, notFoundError("user", "author_id", t.authorID, "Could not find user with author_id: ["+t.authorID+"]."))
			}
		}
		if len(users) > 0 {
			body["includes"] = map[string]any{"users": users}
		}
		if len(errs) > 0 {
			body["errors"] = errs
		}
	}
	body["meta"] = meta
	return body
}

func (s *server) serveUser(w http.ResponseWriter, r *http.Request, username string) {
	q := r.URL.Query()
	if !checkParams(w, q, userParams) {
		return
	}
	if name := s.failure(username); name != "" {
		s.failWith(w, name)
		return
	}
	if len(username) > 15 || strings.ContainsFunc(username, func(r rune) bool {
		return !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) || username == "" {
		invalid(w, "username", username, "The `username` query parameter value [%s] does not match ^[A-Za-z0-9_]{1,15}$", username)
		return
	}
	u := s.pool.byName[strings.ToLower(username)]
	if u == nil {
		s.notFound(w, "user", "username", username, "Could not find user with username: ["+username+"].")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": project(u.raw, userDefaults, q.Get("user.fields"))})
}

// notFound answers 200 with only an errors array, as X does for a missing
// resource.
func (s *server) notFound(w http.ResponseWriter, kind, param, value, detail string) {
	writeJSON(w, http.StatusOK, map[string]any{"errors": []any{notFoundError(kind, param, value, detail)}})
}

func notFoundError(kind, param, value, detail string) map[string]any {
	return map[string]any{
		"value": value, "detail": detail, "title": "Not Found Error", "resource_type": kind,
		"parameter": param, "resource_id": value, "type": "https://api.twitter.com/2/problems/resource-not-found",
	}
}
