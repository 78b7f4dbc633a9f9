package faults

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// InvalidUTF8 breaks the encoding of the text around brand names: a stray
// 0xFF after every "Acme" and Hangul syllables cut after their second byte
// ("아크미" loses the last byte of 미), as a misconfigured proxy or a
// mis-declared charset produces.
func InvalidUTF8() Mutator {
	return func(body []byte, _ string) []byte {
		s := string(body)
		s = strings.ReplaceAll(s, "Acme", "Acme\xff")
		s = strings.ReplaceAll(s, "아크미", "아크\xeb\xaf 아크미")
		return []byte(s)
	}
}

var (
	rfc3339 = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})`)
	rfc1123 = regexp.MustCompile(`\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (?:[+-]\d{4}|[A-Z]{2,4})`)
	unixKey = regexp.MustCompile(`("(?:created_at_i|created_utc|updated_at_i)"\s*:\s*)\d+(?:\.\d+)?`)
	ymdKey  = regexp.MustCompile(`("postdate"\s*:\s*")\d{8}(")`)
)

// SetTimes moves every timestamp in the body to t: RFC 3339 times (JSON
// fields, Atom, <time datetime>), RFC 1123 dates (RSS pubDate, Naver news),
// Unix seconds under created_at_i / created_utc and Naver's postdate.
func SetTimes(t time.Time) Mutator {
	t = t.UTC()
	iso := t.Format(time.RFC3339)
	rfc := t.Format(time.RFC1123Z)
	unix := strconv.FormatInt(t.Unix(), 10)
	ymd := t.Format("20060102")
	return func(body []byte, _ string) []byte {
		body = rfc3339.ReplaceAll(body, []byte(iso))
		body = rfc1123.ReplaceAll(body, []byte(rfc))
		body = unixKey.ReplaceAll(body, []byte("${1}"+unix))
		body = ymdKey.ReplaceAll(body, []byte("${1}"+ymd+"${2}"))
		return body
	}
}
