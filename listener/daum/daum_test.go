package daum

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/daum/daumfake"
	"github.com/earshot/earshot/listener/listenertest"
)

func TestFetchMapping(t *testing.T) {
	base, rc := fake(t, nil, daumfake.Options{})
	cfg := config(base, "아크미", "Acme", "이니텍")
	cfg.Accounts = []listener.Account{{Brand: "Acme", Handle: "acme-official.tistory.com"}, {Brand: "Globex", Handle: "@globex"}}
	s := New(cfg, fetcher(), clock, nil)
	posts, next, err := s.Fetch(context.Background(), nil)
	if err != nil || next == nil {
		t.Fatalf("fetch: %v", err)
	}
	m := listenertest.ByID(posts)
	// 13 + 5 + 7 results; the blog review the web search finds again and
	// the three 이니텍 results the 아크미 search found are returned once.
	if len(m) != len(posts) || len(posts) != 21 {
		t.Fatalf("%d posts, %d unique, want 21", len(posts), len(m))
	}
	for _, r := range rc.Requests() {
		q := r.URL.Query()
		size := "50"
		if strings.HasSuffix(r.URL.Path, "/vclip") {
			size = "30"
		}
		if r.Header.Get("Authorization") != "KakaoAK key" || q.Get("sort") != "recency" || q.Get("page") != "1" || q.Get("size") != size {
			t.Errorf("request %s headers %v", r.URL, r.Header)
		}
	}
	if rc.Count() != 12 {
		t.Errorf("%d requests, want 12 (3 queries x 4 kinds, one page each)", rc.Count())
	}
	for _, p := range posts {
		if strings.ContainsAny(p.Title+p.Text, "<>") && !strings.Contains(p.Text, "<답답>") && !strings.Contains(p.Text, ">_<") {
			t.Errorf("markup left: %q %q", p.Title, p.Text)
		}
		if strings.Contains(p.Title+p.Text, "&quot;") || strings.Contains(p.Title+p.Text, "&amp;") || strings.Contains(p.Title+p.Text, "&#39;") {
			t.Errorf("entity left: %q %q", p.Title, p.Text)
		}
		if p.Network != Network || p.URL != p.NativeID || p.Published.IsZero() || p.Published.After(now) || p.Published.Location() != time.UTC {
			t.Errorf("bad post %+v", p)
		}
		if p.Engagement != nil || p.ReplyTo != "" || p.Lang != "ko" {
			t.Errorf("daum has no engagement or replies, and these are Korean: %+v", p)
		}
	}

	blog := m["https://campingbear.tistory.com/412"]
	if blog.Author != "campingbear.tistory.com" || blog.AuthorName != "캠핑하는 곰돌이" ||
		!blog.Published.Equal(time.Date(2026, 11, 26, 17, 42, 10, 0, kst)) || blog.PublishedEstimated || blog.Owned ||
		blog.Title != "아크미 보조배터리 파워셀 20K 한 달 사용 후기" || !strings.Contains(blog.Text, `충전 속도가 "생각보다" 느려요`) {
		t.Errorf("blog: %+v", blog)
	}
	if b := m["https://brunch.co.kr/@dailyrec/233"]; b.Author != "brunch.co.kr/@dailyrec" || !strings.Contains(b.Text, "<답답>") {
		t.Errorf("brunch: %+v", b)
	}
	if b := m["https://smarthomelog.tistory.com/57"]; b.Author != "smarthomelog.tistory.com" {
		t.Errorf("http tistory link not canonical: %+v", b)
	}
	if own := m["https://acme-official.tistory.com/64"]; !own.Owned || own.OwnedBrand != "Acme" {
		t.Errorf("owned blog: %+v", own)
	}
	cafe := m["https://cafe.daum.net/powerbankclub/Xb3k/18342"]
	if cafe.Author != "cafe.daum.net/powerbankclub" || cafe.AuthorName != "보조배터리 동호회" || cafe.PublishedEstimated {
		t.Errorf("cafe: %+v", cafe)
	}
	news := m["https://www.etnews.com/20261126000231"]
	if news.Author != "etnews.com" || news.Title != `아크미, 보조배터리 발열 논란에 "자발적 리콜 검토"` ||
		!news.Published.Equal(time.Date(2026, 11, 26, 7, 20, 0, 0, time.UTC)) {
		t.Errorf("web: %+v", news)
	}
	wiki := m["https://namu.wiki/w/%EC%9D%B4%EB%8B%88%ED%85%8D"]
	if !wiki.PublishedEstimated || !wiki.Published.Equal(now) || wiki.Author != "namu.wiki" {
		t.Errorf("undated web document: %+v", wiki)
	}
	clip := m["https://www.youtube.com/watch?v=Ac9mE2026kr"]
	if clip.Author != "Acme Corp Korea" || clip.AuthorName != "Acme Corp Korea" || clip.Text != "" {
		t.Errorf("vclip: %+v", clip)
	}
	notice := m["https://itissue.tistory.com/377"]
	if !reflect.DeepEqual(notice.Links, []string{"https://itissue.tistory.com/377", "https://initech.example/notice/2026-11"}) {
		t.Errorf("links: %v", notice.Links)
	}
	if s.Name() != "daum" || s.Network() != "daum" || s.DailyBudget() != DefaultDailyBudget {
		t.Error("name/network/budget")
	}
}

func TestPagingAndLookback(t *testing.T) {
	base, rc := fake(t, nil, daumfake.Options{})
	cfg := config(base, "아크미")
	cfg.Kinds = []string{KindBlog}
	cfg.Size = 2
	cfg.Lookback = 72 * time.Hour // back to 2026-11-23 19:00 KST
	posts, next, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	for _, r := range rc.Requests() {
		pages = append(pages, r.URL.Query().Get("page"))
	}
	if !reflect.DeepEqual(pages, []string{"1", "2"}) {
		t.Errorf("pages %v, want [1 2]: paging should stop at the first result older than the lookback", pages)
	}
	var ids []string
	for _, p := range posts {
		ids = append(ids, p.NativeID)
	}
	want := []string{"https://campingbear.tistory.com/412", "https://gadgetnote.tistory.com/91", "https://smarthomelog.tistory.com/57"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("posts %v, want %v", ids, want)
	}
	var cur cursor
	if err := json.Unmarshal(next, &cur); err != nil {
		t.Fatal(err)
	}
	st := cur.Searches[KindBlog]["아크미"]
	if st == nil || !reflect.DeepEqual(st.Seen, []string{want[2], want[1], want[0]}) || !st.Newest.Equal(time.Date(2026, 11, 26, 17, 42, 10, 0, kst)) {
		t.Errorf("cursor %+v", st)
	}

	// A long lookback reads every page up to is_end.
	base2, rc2 := fake(t, nil, daumfake.Options{})
	cfg.BaseURL, cfg.Lookback = base2, 30*24*time.Hour
	posts, _, err = New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil)
	if err != nil || len(posts) != 5 || rc2.Count() != 3 {
		t.Errorf("deep paging: %d posts in %d calls (%v), want 5 in 3", len(posts), rc2.Count(), err)
	}
	// A full page that is the last (meta.is_end) ends the search.
	base3, rc3 := fake(t, nil, daumfake.Options{})
	cfg.BaseURL, cfg.Size = base3, 5
	if posts, _, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil); err != nil || len(posts) != 5 || rc3.Count() != 1 {
		t.Errorf("is_end: %d posts in %d calls (%v), want 5 in 1", len(posts), rc3.Count(), err)
	}
	// vclip pages stop at the API's 30 results per call.
	cfg.Kinds, cfg.Size = []string{KindVClip}, 50
	if _, _, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil); err != nil {
		t.Errorf("vclip with size 50 configured: %v (the fake refuses size > 30)", err)
	}
}

func TestCursorResume(t *testing.T) {
	ctx := context.Background()
	fsys := recordings(t)
	base, rc := fake(t, fsys, daumfake.Options{})
	cfg := config(base, "아크미", "Acme")
	first, cur, err := New(cfg, fetcher(), clock, nil).Fetch(ctx, nil)
	if err != nil || len(first) != 17 {
		t.Fatalf("first: %d posts, %v", len(first), err)
	}
	again, cur2, err := New(cfg, fetcher(), clock, nil).Fetch(ctx, cur)
	if err != nil || len(again) != 0 || rc.Count() != 16 {
		t.Fatalf("resume returned %d posts in %d calls (%v), want none in 8 more", len(again), rc.Count(), err)
	}

	// A café post appears at the top of its results.
	var env map[string]any
	_ = json.Unmarshal(fsys[daumfake.Dir+"/cafe.json"].Data, &env)
	env["documents"] = append([]any{map[string]any{
		"title": "<b>아크미</b> 리콜 확정 공지 떴어요", "contents": "방금 <b>아크미</b> 홈페이지에 공지 올라왔네요",
		"url": "https://cafe.daum.net/powerbankclub/Xb3k/18400", "cafename": "보조배터리 동호회", "thumbnail": "",
		"datetime": "2026-11-26T19:40:00.000+09:00",
	}}, env["documents"].([]any)...)
	b, _ := json.Marshal(env)
	fsys[daumfake.Dir+"/cafe.json"] = &fstest.MapFile{Data: b}
	base2, _ := fake(t, fsys, daumfake.Options{})
	cfg.BaseURL = base2
	later := now.Add(time.Hour)
	s := New(cfg, fetcher(), func() time.Time { return later }, nil)
	got, cur3, err := s.Fetch(ctx, cur2)
	if err != nil || len(got) != 1 || got[0].NativeID != "https://cafe.daum.net/powerbankclub/Xb3k/18400" ||
		!got[0].Published.Equal(time.Date(2026, 11, 26, 10, 40, 0, 0, time.UTC)) {
		t.Fatalf("new café post: %+v %v", got, err)
	}
	if more, _, err := s.Fetch(ctx, cur3); err != nil || len(more) != 0 {
		t.Fatalf("after the new post: %d posts, %v", len(more), err)
	}
}

func TestSeenBounded(t *testing.T) {
	base, _ := fake(t, nil, daumfake.Options{})
	old := &searchState{Newest: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	for i := range MaxSeen {
		b, _ := json.Marshal(i)
		old.Seen = append(old.Seen, "https://example.com/"+string(b))
	}
	raw, _ := json.Marshal(cursor{Searches: map[string]map[string]*searchState{KindCafe: {"이니텍": old}}})
	cfg := config(base, "이니텍")
	cfg.Kinds = []string{KindCafe}
	posts, next, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), raw)
	if err != nil || len(posts) != 2 {
		t.Fatalf("%d posts, %v", len(posts), err)
	}
	var cur cursor
	_ = json.Unmarshal(next, &cur)
	st := cur.Searches[KindCafe]["이니텍"]
	if len(st.Seen) != MaxSeen || st.Seen[MaxSeen-1] != posts[0].NativeID || st.Seen[0] != old.Seen[2] {
		t.Fatalf("seen not bounded newest-last: len %d last %q first %q", len(st.Seen), st.Seen[len(st.Seen)-1], st.Seen[0])
	}
}
