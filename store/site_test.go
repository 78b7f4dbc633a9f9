package store

import "testing"

func TestSiteOf(t *testing.T) {
	for _, c := range []struct{ url, author, want string }{
		{"https://news.google.com/rss/articles/CBMi?oc=5", "yna.co.kr", "yna.co.kr"},
		{"https://news.google.com/rss/articles/CBMi?oc=5", "www.Hankyung.com", "hankyung.com"},
		{"https://news.google.com/rss/articles/CBMi?oc=5", "", "news.google.com"},
		{"https://news.google.com/rss/articles/CBMi?oc=5", "Jane Doe", "news.google.com"},
		{"https://news.google.com/rss/articles/CBMi?oc=5", "a/b.com", "news.google.com"},
		{"https://www.example.com/post", "other.example", "example.com"},
	} {
		m := Mention{URL: c.url, Author: c.author}
		if got := siteOf(&m); got != c.want {
			t.Errorf("siteOf(%q, %q) = %q, want %q", c.url, c.author, got, c.want)
		}
	}
}
