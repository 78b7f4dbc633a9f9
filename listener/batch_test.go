package listener

import (
	"errors"
	"testing"
)

func TestBatch(t *testing.T) {
	var b Batch
	b.Fail(errors.New("feed b: 503"))
	if posts, next, err := b.Result("rss", map[string]int{}); posts != nil || next != nil || err == nil {
		t.Fatalf("nothing succeeded: %v %s %v", posts, next, err)
	}
	b.Add([]Post{{NativeID: "1", Title: "first"}, {NativeID: "2"}})
	b.Add([]Post{{NativeID: "1", Title: "again"}, {NativeID: "3"}})
	posts, next, err := b.Result("rss", map[string]int{"a": 1})
	if len(posts) != 3 || posts[0].Title != "first" || string(next) != `{"a":1}` || err == nil || err.Error() != "feed b: 503" {
		t.Fatalf("partial: %v %s %v", posts, next, err)
	}
	var ok Batch
	ok.Add(nil)
	if posts, next, err := ok.Result("rss", struct{}{}); posts != nil || string(next) != "{}" || err != nil {
		t.Fatalf("empty success: %v %s %v", posts, next, err)
	}
	if _, _, err := ok.Result("rss", func() {}); err == nil {
		t.Fatal("unencodable cursor: no error")
	}
}
