package youtube

import (
	"io/fs"
	"testing"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/youtube/youtubefake"
)

// FuzzYouTubeDecode runs one body through every response decoder and the
// post mapping: no input may panic, and mapped posts keep their ids.
func FuzzYouTubeDecode(f *testing.F) {
	rec := youtubefake.Recordings()
	files, _ := fs.Glob(rec, youtubefake.Dir+"/*.json")
	errs, _ := fs.Glob(rec, youtubefake.Dir+"/errors/*.json")
	if len(files) == 0 || len(errs) == 0 {
		f.Fatal("no recordings to seed the corpus")
	}
	for _, p := range append(files, errs...) {
		f.Add(listenertest.ReadFile(f, rec, p))
	}
	f.Add([]byte(`{"items":[{"id":{"videoId":"a"},"snippet":{"publishedAt":"2026-11-25T00:00:00Z","description":"http://[::1]:x/ https://acme.example/a)."}}],"nextPageToken":"x"}`))
	f.Add([]byte(`{"items":[{"id":"UCacmeCorpOfficial0001aa","statistics":{"subscriberCount":"-5","viewCount":"99999999999999999999"}}]}`))
	s := New(Config{APIKey: key}, nil, clock, nil)
	f.Fuzz(func(t *testing.T, body []byte) {
		r := newRun(s, cursor{}, nil, nil)
		r.owners["UCacmeCorpOfficial0001aa"] = owner{brand: "Acme", followers: 1}
		var sr searchResponse
		if decode(body, &sr) == nil {
			for i := range sr.Items {
				it := &sr.Items[i]
				if tm, ok := parseTime(it.Snippet.PublishedAt); ok && validID(it.ID.VideoID) {
					check(t, r.videoPost(it.ID.VideoID, &it.Snippet, tm, true))
				}
			}
		}
		var vr videoListResponse
		if decode(body, &vr) == nil {
			for i := range vr.Items {
				p := listener.Post{NativeID: "x"}
				applyVideo(&p, &vr.Items[i])
				for k, n := range p.Engagement {
					if n < 0 {
						t.Fatalf("negative %s", k)
					}
				}
			}
		}
		var tr threadListResponse
		if decode(body, &tr) == nil {
			for i := range tr.Items {
				c := &tr.Items[i].Snippet.TopLevelComment
				if tm, ok := parseTime(c.Snippet.PublishedAt); ok && validID(c.ID) {
					check(t, r.commentPost(c, "v", tm))
				}
			}
		}
		var cr channelListResponse
		_ = decode(body, &cr)
		var pr playlistItemsResponse
		_ = decode(body, &pr)
		_ = reasons(string(body))
		_ = classify(&listener.HTTPError{StatusCode: 403, Body: string(body)}, now)
	})
}

func check(t *testing.T, p listener.Post) {
	if p.NativeID == "" || p.Published.IsZero() || p.URL == "" {
		t.Fatalf("bad post %+v", p)
	}
	for _, l := range p.Links {
		if l == "" {
			t.Fatal("empty link")
		}
	}
}
