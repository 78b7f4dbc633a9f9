package daum

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// maxDocsPerPage bounds the documents read from one response, whatever the
// server sends (the API's own maximum is 50).
const maxDocsPerPage = 1000

// envelope is a search response. Error bodies share the endpoint and carry
// errorType/message instead.
type envelope struct {
	Meta      *meta      `json:"meta"`
	Documents []document `json:"documents"`
	ErrorType string     `json:"errorType"`
	Message   string     `json:"message"`
}

type meta struct {
	TotalCount    int64 `json:"total_count"`
	PageableCount int64 `json:"pageable_count"`
	IsEnd         bool  `json:"is_end"`
}

// document is one result of any kind; fields another kind does not send
// stay empty (JSON null decodes to "").
type document struct {
	Title     string `json:"title"`
	Contents  string `json:"contents"`
	URL       string `json:"url"`
	Datetime  string `json:"datetime"`
	Thumbnail string `json:"thumbnail"`
	BlogName  string `json:"blogname"` // blog
	CafeName  string `json:"cafename"` // cafe
	Author    string `json:"author"`   // vclip
}

// decodeEnvelope parses a search response body.
func decodeEnvelope(b []byte) (*envelope, error) {
	var e envelope
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, err
	}
	if e.ErrorType != "" && len(e.Documents) == 0 {
		return nil, fmt.Errorf("daum error %s: %s", e.ErrorType, e.Message)
	}
	if e.Meta == nil {
		return nil, errors.New("not a search response: no meta")
	}
	if len(e.Documents) > maxDocsPerPage {
		e.Documents = e.Documents[:maxDocsPerPage]
	}
	return &e, nil
}

// parseDatetime reads an ISO 8601 datetime with its zone
// ("2026-11-24T09:30:00.000+09:00").
func parseDatetime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// daumHosts are Kakao's own hosts, whose links are served over https.
var daumHosts = []string{"daum.net", "kakao.com", "tistory.com"}

// canonicalLink returns the absolute http(s) form of a result link, or ""
// when it is not one: host lowercased, fragment dropped, Daum's and Kakao's
// own hosts on https, so that one document has one identity.
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
	for _, h := range daumHosts {
		if u.Host == h || strings.HasSuffix(u.Host, "."+h) {
			u.Scheme = "https"
		}
	}
	return u.String()
}

// sharedHosts are blog and café platforms whose first path segment names
// the blog or café (blog.naver.com/<id>, brunch.co.kr/@<id>,
// cafe.daum.net/<café id>); elsewhere a blog is its host (<id>.tistory.com).
var sharedHosts = map[string]bool{
	"blog.naver.com": true, "m.blog.naver.com": true, "brunch.co.kr": true,
	"blog.daum.net": true, "cafe.daum.net": true, "m.cafe.daum.net": true,
}

// author names the blog or café of a link: "cafe.daum.net/powerbankclub",
// "brunch.co.kr/@dailyrec", "campingbear.tistory.com".
func author(link string) string {
	hp := hostPath(link)
	host, _, _ := strings.Cut(hp, "/")
	if !sharedHosts[host] {
		return host
	}
	return strings.TrimPrefix(hp, "m.") // the mobile host names the same blog
}

// hostPath returns "host/first-path-segment" of a link, lowercased host
// without "www." ("https://blog.daum.net/acme/123" -> "blog.daum.net/acme").
func hostPath(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	seg, _, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
	if seg == "" {
		return host
	}
	return host + "/" + seg
}

// hostOnly returns the lowercased host of a link without "www.".
func hostOnly(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}
