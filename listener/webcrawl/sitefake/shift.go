package sitefake

import (
	"regexp"
	"strings"
	"time"
)

var (
	dateAttr = regexp.MustCompile(`(datetime=")([^"<>]{1,64})(")`)
	timeText = regexp.MustCompile(`(<time\b[^>]{0,200}>)([^<]{1,64})(</time>)`)
)

// layouts a fixture date may be written in; ordered so that the first that
// parses is the one it was written in.
var layouts = []string{
	time.RFC3339, "2006-01-02 15:04", "2006-01-02", "2006.01.02 15:04", "2006.01.02",
	"2006. 1. 2.", "2006년 1월 2일", "Jan 2, 2006", "2 Jan 2006",
}

// shiftDates moves the dates of an HTML page by d.
func shiftDates(b []byte, d time.Duration) []byte {
	if d == 0 {
		return b
	}
	repl := func(re *regexp.Regexp, in []byte) []byte {
		return re.ReplaceAllFunc(in, func(m []byte) []byte {
			sub := re.FindSubmatch(m)
			s := strings.TrimSpace(string(sub[2]))
			for _, l := range layouts {
				t, err := time.Parse(l, s)
				if err != nil {
					continue
				}
				out := append([]byte(nil), sub[1]...)
				out = append(out, t.Add(d).Format(l)...)
				return append(out, sub[3]...)
			}
			return m
		})
	}
	return repl(timeText, repl(dateAttr, b))
}
