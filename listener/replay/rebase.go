package replay

import (
	"regexp"
	"strings"
	"time"
)

var (
	xmlDate  = regexp.MustCompile(`(<(?:pubDate|lastBuildDate|updated|published|dc:date)>)\s*([^<]{1,64}?)\s*(</)`)
	jsonDate = regexp.MustCompile(`("date_(?:published|modified)"\s*:\s*")([^"]{1,64})(")`)
)

var dateLayouts = []string{
	time.RFC1123Z, time.RFC1123, time.RFC3339Nano, time.RFC3339,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
}

func parseDate(s string) (time.Time, string, bool) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, l, true
		}
	}
	return time.Time{}, "", false
}

// eachDate calls fn for every recognised date in a feed body and replaces
// it with fn's result.
func eachDate(b []byte, fn func(t time.Time, layout string) string) []byte {
	repl := func(re *regexp.Regexp, in []byte) []byte {
		return re.ReplaceAllFunc(in, func(m []byte) []byte {
			sub := re.FindSubmatch(m)
			t, layout, ok := parseDate(strings.TrimSpace(string(sub[2])))
			if !ok {
				return m
			}
			out := make([]byte, 0, len(m)+8)
			out = append(out, sub[1]...)
			out = append(out, fn(t, layout)...)
			return append(out, sub[3]...)
		})
	}
	return repl(jsonDate, repl(xmlDate, b))
}

// newestFeedTime returns the latest date in the feed, zero when none.
func newestFeedTime(b []byte) time.Time {
	var newest time.Time
	eachDate(b, func(t time.Time, layout string) string {
		if t.After(newest) {
			newest = t
		}
		return t.Format(layout)
	})
	return newest
}

// rebaseFeed shifts every date in the feed by d, keeping each date's layout
// and zone.
func rebaseFeed(b []byte, d time.Duration) []byte {
	return eachDate(b, func(t time.Time, layout string) string {
		return t.Add(d).Format(layout)
	})
}
