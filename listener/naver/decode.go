package naver

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// maxItemsPerPage bounds the items read from one response, whatever the
// server sends (the API's own maximum is 100).
const maxItemsPerPage = 1000

// kst is Korea Standard Time, the zone of blog postdates (no DST).
var kst = time.FixedZone("KST", 9*60*60)

// envelope is a search response. Error bodies share the endpoint and carry
// errorMessage/errorCode instead.
type envelope struct {
	LastBuildDate string `json:"lastBuildDate"`
	Total         int64  `json:"total"`
	Start         int    `json:"start"`
	Display       int    `json:"display"`
	Items         []item `json:"items"`
	ErrorMessage  string `json:"errorMessage"`
	ErrorCode     string `json:"errorCode"`
}

// item is one result of any kind; fields another kind does not send stay
// empty (JSON null decodes to "").
type item struct {
	Title       string `json:"title"`
	Link        string `json:"link"`
	Description string `json:"description"`
	// blog
	BloggerName string `json:"bloggername"`
	BloggerLink string `json:"bloggerlink"`
	PostDate    string `json:"postdate"`
	// news
	OriginalLink string `json:"originallink"`
	PubDate      string `json:"pubDate"`
	// cafearticle
	CafeName string `json:"cafename"`
	CafeURL  string `json:"cafeurl"`
}

// decodeEnvelope parses a search response body.
func decodeEnvelope(b []byte) (*envelope, error) {
	var e envelope
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, err
	}
	if e.ErrorCode != "" && len(e.Items) == 0 {
		return nil, fmt.Errorf("naver error %s: %s", e.ErrorCode, e.ErrorMessage)
	}
	if e.Items == nil && e.LastBuildDate == "" {
		return nil, errors.New("not a search response: no items and no lastBuildDate")
	}
	if len(e.Items) > maxItemsPerPage {
		e.Items = e.Items[:maxItemsPerPage]
	}
	return &e, nil
}

// parsePubDate reads a news pubDate ("Tue, 24 Nov 2026 09:30:00 +0900").
func parsePubDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// parsePostDate reads a blog postdate ("20261124", a KST calendar day) and
// returns the day's first instant.
func parsePostDate(s string) (time.Time, bool) {
	t, err := time.ParseInLocation("20060102", strings.TrimSpace(s), kst)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// canonicalLink returns the absolute http(s) form of a result link, or ""
// when it is not one. Naver blog links are normalised to
// https://blog.naver.com/<id>/<logNo> (the old ?Redirect=Log&logNo= and
// m.blog forms included) so that one post has one identity.
func canonicalLink(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 2048 {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.Host = strings.ToLower(u.Host)
	u.Fragment = ""
	if u.Host == "m.blog.naver.com" {
		u.Host = "blog.naver.com"
	}
	if u.Host == "naver.com" || strings.HasSuffix(u.Host, ".naver.com") {
		u.Scheme = "https"
	}
	if u.Host == "blog.naver.com" {
		q := u.Query()
		id := strings.Trim(u.Path, "/")
		if id == "PostView.naver" || id == "PostView.nhn" {
			id = q.Get("blogId")
		}
		if log := q.Get("logNo"); log != "" && id != "" && !strings.ContainsAny(id, "/.") {
			return "https://blog.naver.com/" + url.PathEscape(id) + "/" + url.PathEscape(log)
		}
	}
	return u.String()
}

// hostPath returns "host/first-path-segment" of a link given with or
// without scheme ("blog.naver.com/acme" -> "blog.naver.com/acme",
// "https://techlog.tistory.com" -> "techlog.tistory.com"), lowercased host,
// without "www.".
func hostPath(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	seg, _, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
	if seg == "" {
		return host
	}
	return host + "/" + seg
}

// naverID returns the blog or café id of a blog.naver.com/ID or
// cafe.naver.com/ID link, "" for other hosts.
func naverID(raw string) string {
	hp := hostPath(raw)
	for _, prefix := range []string{"blog.naver.com/", "m.blog.naver.com/", "cafe.naver.com/"} {
		if id, ok := strings.CutPrefix(hp, prefix); ok {
			return id
		}
	}
	return ""
}
