package store

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"
)

// FuzzMentionJSON holds appendJSON to json.Marshal byte for byte, errors
// included.
func FuzzMentionJSON(f *testing.F) {
	f.Add("hn:1", "Acme <b>&</b> \"battery\"", "line\nbreak\ttab\x01\u2028 é 배터리 \xff", "points", int64(12), 0.25, int64(1700000000123456789), 0, true)
	f.Add("", "", "", "", int64(0), 0.0, int64(0), 0, false)
	f.Add("x:2", "t", "u", "a", int64(-5), 1e-7, int64(-1), 3600+60, false)
	f.Add("x:3", "t", "u", "b", int64(math.MaxInt64), 1e21, int64(math.MinInt64), -5*3600, true)
	f.Add("x:4", "t", "u", "c", int64(1), math.NaN(), int64(1), 0, false)
	f.Add("x:5", "t", "u", "d", int64(1), -123456.789, int64(1), 7, false)
	f.Fuzz(func(t *testing.T, id, title, text, key string, n int64, sent float64, nanos int64, offset int, flag bool) {
		zone := time.FixedZone("z", offset%(48*3600))
		m := Mention{
			ID: id, Network: "hackernews", Source: text, NativeID: id, URL: title, Title: title, ParentTitle: text, Text: text,
			Kind: KindMention, Author: key, AuthorName: text, AuthorFollowers: n,
			Published: time.Unix(0, nanos).In(zone), Fetched: time.Unix(0, nanos/3).UTC(), Lang: key,
			EngagementTotal: n, Brands: []string{title, key}, ReplyTo: id, PublishedEstimated: flag,
			Sentiment: sent, SentimentLabel: key,
		}
		if flag {
			m.Engagement = map[string]int64{key: n, "z" + key: -n, "": 1}
			m.Topics, m.Links = []string{text}, []string{title, text}
			e := -n
			m.Exposure = &e
			m.Brands = nil
			m.EngagementAt = time.Unix(0, nanos/2).In(zone)
			m.BrandSentiment = map[string]BrandSentiment{key: {Score: sent, Label: text}, title: {Score: -sent, Label: key}}
			m.SentimentModel = title
		}
		if n%7 == 0 {
			m.Published = time.Date(int(n%20000)-5000, 1, 2, 3, 4, 5, 6, zone) // years outside 0..9999 fail
		}
		want, werr := json.Marshal(&m)
		got, gerr := m.appendJSON(nil)
		if (werr != nil) != (gerr != nil) {
			t.Fatalf("errors differ: json.Marshal %v, appendJSON %v", werr, gerr)
		}
		if werr == nil && !bytes.Equal(got, want) {
			t.Fatalf("appendJSON\n%s\njson.Marshal\n%s", got, want)
		}
	})
}
