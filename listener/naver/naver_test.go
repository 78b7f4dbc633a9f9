package naver

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/naver/naverfake"
)

func TestFetchMapping(t *testing.T) {
	base, rc := fake(t, nil, naverfake.Options{})
	cfg := config(base, "아크미", "Acme", "글로벡스")
	cfg.Accounts = []listener.Account{{Brand: "Acme", Handle: "acme"}, {Brand: "Globex", Handle: "@Globex"}}
	s := New(cfg, fetcher(), clock, nil)
	posts, next, err := s.Fetch(context.Background(), nil)
	if err != nil || next == nil {
		t.Fatalf("fetch: %v", err)
	}
	m := listenertest.ByID(posts)
	if len(m) != len(posts) {
		t.Fatalf("duplicates: %d unique of %d", len(m), len(posts))
	}
	for _, r := range rc.Requests() {
		q := r.URL.Query()
		if r.Header.Get("X-Naver-Client-Id") != "id" || r.Header.Get("X-Naver-Client-Secret") != "secret" ||
			q.Get("sort") != "date" || q.Get("display") != "100" || q.Get("start") != "1" {
			t.Errorf("request %s headers %v", r.URL, r.Header)
		}
	}
	if rc.Count() != 9 {
		t.Errorf("%d requests, want 9 (3 queries x 3 kinds, one page each)", rc.Count())
	}
	for _, p := range posts {
		if strings.Contains(p.Title+p.Text, "<b>") || strings.Contains(p.Title+p.Text, "&quot;") || strings.Contains(p.Title+p.Text, "&amp;") {
			t.Errorf("markup left: %q %q", p.Title, p.Text)
		}
		if p.Network != Network || p.URL != p.NativeID || p.Published.IsZero() || p.Published.After(now) || p.Published.Location() != time.UTC {
			t.Errorf("bad post %+v", p)
		}
		if p.Engagement != nil || p.ReplyTo != "" {
			t.Errorf("naver has no engagement or replies: %+v", p)
		}
	}

	blog := m["https://blog.naver.com/daily_rec/224080011223"]
	wantDay := time.Date(2026, 11, 24, 23, 59, 59, 0, kst).UTC()
	if blog.Author != "blog.naver.com/daily_rec" || blog.AuthorName != "일상기록" || blog.Lang != "ko" ||
		!blog.Published.Equal(wantDay) || !blog.PublishedEstimated || blog.Owned ||
		!strings.Contains(blog.Text, "<아크미 고객센터>") || blog.Title != "아크미 보조배터리 발열... 고객센터는 연결조차 안 되네요" {
		t.Errorf("blog: %+v", blog)
	}
	notice := m["https://blog.naver.com/acme/224081234567"]
	if !notice.Owned || notice.OwnedBrand != "Acme" || !notice.Published.Equal(now) ||
		!reflect.DeepEqual(notice.Links, []string{"https://blog.naver.com/acme/224081234567", "https://acme.example/notice/battery-check"}) {
		t.Errorf("owned notice: %+v", notice)
	}
	if g := m["https://blog.naver.com/globex/224080912345"]; !g.Owned || g.OwnedBrand != "Globex" {
		t.Errorf("globex own blog: %+v", g)
	}
	camper := m["https://blog.naver.com/camper77/224070001234"]
	if camper.Author != "blog.naver.com/camper77" || camper.AuthorName != "캠핑하는 곰돌이" {
		t.Errorf("redirect-form blog link not canonical: %+v", camper)
	}
	tistory := m["https://techlog.tistory.com/412"]
	if tistory.Author != "techlog.tistory.com" || tistory.Lang != "" || tistory.Title != `Acme Corp PowerCell 20K review: "best value" under $50` {
		t.Errorf("tistory: %+v", tistory)
	}

	news := m["https://www.hankyung.com/article/2026112401234"]
	if news.Author != "hankyung.com" || !news.Published.Equal(time.Date(2026, 11, 24, 0, 30, 0, 0, time.UTC)) || news.PublishedEstimated ||
		!reflect.DeepEqual(news.Links, []string{"https://www.hankyung.com/article/2026112401234", "https://n.news.naver.com/mnews/article/015/0005212345?sid=101"}) {
		t.Errorf("news: %+v", news)
	}
	noOrig := m["https://n.news.naver.com/mnews/article/009/0005398765?sid=105"]
	if noOrig.Title != "Acme Corp to open Seoul R&D center" || noOrig.Author != "n.news.naver.com" {
		t.Errorf("news without originallink: %+v", noOrig)
	}
	badDate := m["https://www.mk.co.kr/en/business/11234567"]
	if !badDate.PublishedEstimated || !badDate.Published.Equal(now) {
		t.Errorf("news with malformed pubDate: %+v", badDate)
	}

	cafe := m["https://cafe.naver.com/powerbank/883412"]
	if cafe.Author != "cafe.naver.com/powerbank" || cafe.AuthorName != "보조배터리 동호회" || !cafe.PublishedEstimated || !cafe.Published.Equal(now) {
		t.Errorf("cafe: %+v", cafe)
	}
	comp := m["https://cafe.naver.com/smarthomeuser/120987"]
	if !reflect.DeepEqual(comp.Links, []string{"https://cafe.naver.com/smarthomeuser/120987", "https://globex.example/compensation"}) {
		t.Errorf("cafe links: %v", comp.Links)
	}
	if s.Name() != "naver" || s.Network() != "naver" || s.DailyBudget() != DefaultDailyBudget {
		t.Error("name/network/budget")
	}
}

func TestPagingAndLookback(t *testing.T) {
	base, rc := fake(t, nil, naverfake.Options{})
	cfg := config(base, "아크미")
	cfg.Kinds = []string{KindBlog}
	cfg.Display = 3
	cfg.Lookback = 72 * time.Hour // back to 2026-11-23T10:00Z
	posts, next, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var starts []string
	for _, r := range rc.Requests() {
		starts = append(starts, r.URL.Query().Get("start"))
	}
	if !reflect.DeepEqual(starts, []string{"1", "4"}) {
		t.Errorf("starts %v, want [1 4]: paging should stop at the first result older than the lookback", starts)
	}
	got := map[string]bool{}
	for _, p := range posts {
		got[p.NativeID] = true
		if p.Published.Before(now.Add(-72 * time.Hour)) {
			t.Errorf("older than lookback: %s %s", p.NativeID, p.Published)
		}
	}
	for _, want := range []string{"https://blog.naver.com/acme/224081234567", "https://blog.naver.com/daily_rec/224080011223", "https://blog.naver.com/gadget_kim/224079554321"} {
		if !got[want] {
			t.Errorf("missing %s in %v", want, got)
		}
	}
	if len(posts) != 3 {
		t.Errorf("got %d posts, want 3", len(posts))
	}
	var cur cursor
	if err := json.Unmarshal(next, &cur); err != nil {
		t.Fatal(err)
	}
	st := cur.Searches[KindBlog]["아크미"]
	if st == nil || len(st.Seen) != 3 || st.Seen[2] != "https://blog.naver.com/acme/224081234567" ||
		!st.Newest.Equal(now) {
		t.Errorf("cursor %+v", st)
	}

	// A search whose earlier fetch found nothing still honours Lookback.
	empty := mustJSON(t, cursor{Searches: map[string]map[string]*searchState{KindBlog: {"아크미": {}}}})
	again, _, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), empty)
	if err != nil || len(again) != 3 {
		t.Errorf("empty state: %d posts (%v), want the 3 within the lookback", len(again), err)
	}

	// Deep paging with a long lookback: every match, over several pages.
	base2, rc2 := fake(t, nil, naverfake.Options{})
	cfg.BaseURL, cfg.Lookback = base2, 30*24*time.Hour
	posts, _, err = New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil)
	if err != nil || len(posts) != 6 || rc2.Count() != 3 {
		t.Errorf("deep paging: %d posts in %d calls (%v), want 6 (7 results, one repeated) in 3", len(posts), rc2.Count(), err)
	}
}

func TestCursorResume(t *testing.T) {
	ctx := context.Background()
	fsys := recordings(t)
	base, _ := fake(t, fsys, naverfake.Options{})
	cfg := config(base, "아크미", "Acme")
	cfg.Display = 4
	first, cur, err := New(cfg, fetcher(), clock, nil).Fetch(ctx, nil)
	if err != nil || len(first) < 15 {
		t.Fatalf("first: %d posts, %v", len(first), err)
	}
	again, cur2, err := New(cfg, fetcher(), clock, nil).Fetch(ctx, cur)
	if err != nil || len(again) != 0 {
		t.Fatalf("resume returned %d posts (%v), want none", len(again), err)
	}

	// A news article and a café post appear at the top of their results.
	var env map[string]any
	_ = json.Unmarshal(fsys[naverfake.Dir+"/news.json"].Data, &env)
	items := env["items"].([]any)
	env["items"] = append([]any{map[string]any{
		"title": "<b>아크미</b> 배터리 리콜 검토", "originallink": "https://www.hani.co.kr/arti/economy/1234567.html",
		"link": "https://n.news.naver.com/mnews/article/028/0002712345?sid=101", "description": "<b>Acme</b>",
		"pubDate": "Thu, 26 Nov 2026 18:30:00 +0900",
	}}, items...)
	fsys[naverfake.Dir+"/news.json"] = &fstest.MapFile{Data: mustJSON(t, env)}
	_ = json.Unmarshal(fsys[naverfake.Dir+"/cafearticle.json"].Data, &env)
	env["items"] = append([]any{map[string]any{
		"title": "<b>아크미</b> 리콜 소식 보셨나요", "link": "https://cafe.naver.com/powerbank/883500",
		"description": "방금 기사 떴네요", "cafename": "보조배터리 동호회", "cafeurl": "https://cafe.naver.com/powerbank",
	}}, env["items"].([]any)...)
	fsys[naverfake.Dir+"/cafearticle.json"] = &fstest.MapFile{Data: mustJSON(t, env)}
	base2, _ := fake(t, fsys, naverfake.Options{})
	cfg.BaseURL = base2
	later := now.Add(time.Hour)
	s := New(cfg, fetcher(), func() time.Time { return later }, nil)
	got, cur3, err := s.Fetch(ctx, cur2)
	if err != nil || len(got) != 2 {
		t.Fatalf("new items: %d %+v %v", len(got), got, err)
	}
	ids := []string{got[0].NativeID, got[1].NativeID}
	if !reflect.DeepEqual(ids, []string{"https://www.hani.co.kr/arti/economy/1234567.html", "https://cafe.naver.com/powerbank/883500"}) ||
		!got[1].Published.Equal(later) || !got[1].PublishedEstimated {
		t.Fatalf("new items: %+v", got)
	}
	if more, _, err := s.Fetch(ctx, cur3); err != nil || len(more) != 0 {
		t.Fatalf("after new items: %d posts, %v", len(more), err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSeenBounded(t *testing.T) {
	base, _ := fake(t, nil, naverfake.Options{})
	old := &searchState{Newest: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	for i := range MaxSeen {
		old.Seen = append(old.Seen, "https://example.com/"+strings.Repeat("x", i%7)+itoa(i))
	}
	raw := mustJSON(t, cursor{Searches: map[string]map[string]*searchState{KindNews: {"이니텍": old}}})
	cfg := config(base, "이니텍")
	cfg.Kinds = []string{KindNews}
	posts, next, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), raw)
	if err != nil || len(posts) != 3 {
		t.Fatalf("%d posts, %v", len(posts), err)
	}
	var cur cursor
	_ = json.Unmarshal(next, &cur)
	st := cur.Searches[KindNews]["이니텍"]
	if len(st.Seen) != MaxSeen || st.Seen[MaxSeen-1] != posts[0].NativeID || st.Seen[0] != old.Seen[3] {
		t.Fatalf("seen not bounded newest-last: len %d last %q first %q", len(st.Seen), st.Seen[len(st.Seen)-1], st.Seen[0])
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
