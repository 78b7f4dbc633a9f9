package naver

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/earshot/earshot/listener"
)

func TestNullsAndJunk(t *testing.T) {
	body := `{"lastBuildDate":"Thu, 26 Nov 2026 18:40:12 +0900","total":6,"start":1,"display":6,"items":[
	 {"title":null,"link":"https://blog.naver.com/PostView.naver?blogId=junk&logNo=1","description":null,"bloggername":null,"bloggerlink":null,"postdate":null},
	 {"title":"no link","link":"","description":"x","postdate":"20261126"},
	 {"title":"script link","link":"javascript:alert(1)","postdate":"20261126"},
	 {"title":"relative","link":"/x/1","postdate":"20261126"},
	 {"title":"<b>dup</b>","link":"https://m.blog.naver.com/junk/1#frag","postdate":"20261126"},
	 {"title":"future","link":"https://blog.naver.com/junk/2","postdate":"20261230"}
	],"extra":{"ignored":true}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) }))
	defer srv.Close()
	cfg := config(srv.URL, "x")
	cfg.Kinds = []string{KindBlog}
	posts, _, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 2 || posts[0].NativeID != "https://blog.naver.com/junk/1" || posts[1].NativeID != "https://blog.naver.com/junk/2" {
		t.Fatalf("posts %+v", posts)
	}
	if p := posts[0]; p.Title != "" || p.Author != "blog.naver.com/junk" || !p.Published.Equal(now) || !p.PublishedEstimated {
		t.Errorf("null item %+v", p)
	}
	if p := posts[1]; !p.Published.Equal(now) {
		t.Errorf("future postdate should not move Published past the fetch time: %+v", p)
	}
}

func TestExplain(t *testing.T) {
	cases := []struct {
		he   *listener.HTTPError
		want string
	}{
		{&listener.HTTPError{StatusCode: 400, Body: `{"errorMessage":"Invalid display value (부적절한 display 값입니다.)","errorCode":"SE02"}`}, "invalid display value (allowed 1..100) [naver SE02]"},
		{&listener.HTTPError{StatusCode: 404, Body: `{"errorMessage":"Invalid search api","errorCode":"SE05"}`}, "check base_url and the path template"},
		{&listener.HTTPError{StatusCode: 403, Body: `{"errorMessage":"Scope Status Invalid : Authentication failed.","errorCode":"024"}`}, "authentication failed: check the client id"},
		{&listener.HTTPError{StatusCode: 403, Body: `<html>forbidden</html>`}, "enable the Search API"},
		{&listener.HTTPError{StatusCode: 502, Body: `bad gateway`}, "naver server error: "},
	}
	for _, c := range cases {
		err := explain(c.he)
		var he *listener.HTTPError
		if !strings.Contains(err.Error(), c.want) || !errors.As(err, &he) || he != c.he {
			t.Errorf("explain(%d %s) = %v, want %q", c.he.StatusCode, c.he.Body, err, c.want)
		}
	}
}
