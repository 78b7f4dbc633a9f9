package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/earshot/earshot/config"
)

// Languages a digest or report page can be written in; the first is the
// default.
var Languages = []string{"en", "ko"}

// Locale formats numbers and dates for one reader: English or Korean
// (golang.org/x/text/message for digits and grouping, a table for dates
// and words).
type Locale struct {
	Lang string // "en" or "ko"
	p    *message.Printer
}

// NewLocale returns the locale of lang ("ko"; anything else is English).
func NewLocale(lang string) Locale {
	if lang == "ko" {
		return Locale{Lang: "ko", p: message.NewPrinter(language.Korean)}
	}
	return Locale{Lang: "en", p: message.NewPrinter(language.English)}
}

func (l Locale) printer() *message.Printer {
	if l.p == nil {
		return NewLocale(l.Lang).p
	}
	return l.p
}

// Count writes n with the locale's grouping: "1,240".
func (l Locale) Count(n int64) string { return l.printer().Sprintf("%d", n) }

// Fixed writes v with dec decimals: "41.2".
func (l Locale) Fixed(v float64, dec int) string {
	s := l.printer().Sprintf("%."+strconv.Itoa(max(dec, 0))+"f", v)
	if strings.TrimLeft(s, "-0.,") == "" { // no "-0.0"
		s = strings.TrimPrefix(s, "-")
	}
	return s
}

// Signed writes v with its sign, "+3.1" or "−3.1" (a real minus sign).
func (l Locale) Signed(v float64, dec int) string {
	s := l.Fixed(v, dec)
	switch {
	case strings.HasPrefix(s, "-"):
		return "−" + s[1:]
	case strings.TrimLeft(s, "0.,") == "":
		return "±" + s
	}
	return "+" + s
}

// Pct writes a percentage: "41.2%".
func (l Locale) Pct(v float64) string { return l.Fixed(v, 1) + "%" }

// Date writes a YYYY-MM-DD day: "Mon 16 Nov 2026" / "2026년 11월 16일 (월)";
// anything else is returned as it is.
func (l Locale) Date(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	if l.Lang == "ko" {
		return fmt.Sprintf("%d년 %d월 %d일 (%s)", t.Year(), int(t.Month()), t.Day(), koWeekdays[t.Weekday()])
	}
	return t.Format("Mon 2 Jan 2006")
}

// ShortDate writes a day without the year: "16 Nov" / "11월 16일".
func (l Locale) ShortDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	if l.Lang == "ko" {
		return fmt.Sprintf("%d월 %d일", int(t.Month()), t.Day())
	}
	return t.Format("2 Jan")
}

// WeekDay writes a day with its weekday and without the year: "Mon 16
// Nov" / "11월 16일 (월)" (the start of a range whose end has the year).
func (l Locale) WeekDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	if l.Lang == "ko" {
		return l.ShortDate(day) + " (" + koWeekdays[t.Weekday()] + ")"
	}
	return t.Format("Mon 2 Jan")
}

// Time writes an RFC 3339 instant in the IANA zone (UTC when unknown) as
// Date's day and the 24-hour time with the zone's abbreviation: "Wed 25
// Nov 2026, 19:00 KST" / "2026년 11월 25일 (수) 19:00 KST". Anything
// unparsable is written as it is.
func (l Locale) Time(ts, zone string) string {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	if loc, err := time.LoadLocation(zone); err == nil {
		t = t.In(loc)
	}
	sep := ", "
	if l.Lang == "ko" {
		sep = " "
	}
	return l.Date(t.Format(time.DateOnly)) + sep + t.Format("15:04 MST")
}

// Range writes the days first to last (YYYY-MM-DD, both included), the
// year once: "23 Nov – 29 Nov 2026", "28 Dec 2026 – 3 Jan 2027" /
// "2026년 11월 23일 – 29일", "2026년 11월 30일 – 12월 6일"; a single day
// is Date's. Anything unparsable is written as it is.
func (l Locale) Range(first, last string) string {
	a, errA := time.Parse(time.DateOnly, first)
	b, errB := time.Parse(time.DateOnly, last)
	switch {
	case errA != nil || errB != nil:
		return first + " – " + last
	case first == last:
		return l.Date(first)
	case l.Lang == "ko" && a.Year() != b.Year():
		return fmt.Sprintf("%d년 %s – %d년 %s", a.Year(), l.ShortDate(first), b.Year(), l.ShortDate(last))
	case l.Lang == "ko" && a.Month() != b.Month():
		return fmt.Sprintf("%d년 %s – %s", a.Year(), l.ShortDate(first), l.ShortDate(last))
	case l.Lang == "ko":
		return fmt.Sprintf("%d년 %s – %d일", a.Year(), l.ShortDate(first), b.Day())
	case a.Year() != b.Year():
		return a.Format("2 Jan 2006") + " – " + b.Format("2 Jan 2006")
	}
	return l.ShortDate(first) + " – " + l.ShortDate(last) + " " + b.Format("2006")
}

var koWeekdays = [7]string{"일", "월", "화", "수", "목", "금", "토"}

// T returns the phrase key in the locale's language (English when the
// Korean table lacks it).
func (l Locale) T(key string) string {
	if l.Lang == "ko" {
		if s, ok := koPhrases[key]; ok {
			return s
		}
	}
	if s, ok := enPhrases[key]; ok {
		return s
	}
	return key
}

// Sprintf formats with the locale's number formatting; in Korean, a
// particle written for either ending ("은(는)") is chosen after a Hangul
// word (Particles).
func (l Locale) Sprintf(format string, a ...any) string {
	s := l.printer().Sprintf(format, a...)
	if l.Lang == "ko" {
		s = Particles(s)
	}
	return s
}

// particlePairs are the Korean particles that depend on whether the word
// before ends in a consonant: written "은(는)" in the phrase tables, the
// form after a consonant first.
var particlePairs = []struct{ both, consonant, vowel string }{
	{"은(는)", "은", "는"}, {"이(가)", "이", "가"}, {"을(를)", "을", "를"}, {"과(와)", "과", "와"}, {"(으)로", "으로", "로"},
}

// readAs is the last syllable of how a figure's last character is read:
// "27.0%" ends in 퍼센트, "16" in 육.
var readAs = map[rune]rune{'%': '트', '0': '영', '1': '일', '2': '이', '3': '삼', '4': '사', '5': '오', '6': '육', '7': '칠', '8': '팔', '9': '구'}

// Particles picks each "은(는)"-style particle by the Hangul syllable before
// it (or by how a figure is read, readAs): after a final consonant
// 은/이/을/과/으로, else 는/가/를/와/로 (로 also after ㄹ). After anything
// else (a Latin brand) both stay.
func Particles(s string) string {
	if !strings.Contains(s, "(") {
		return s
	}
	for _, p := range particlePairs {
		var b strings.Builder
		rest := s
		for {
			i := strings.Index(rest, p.both)
			if i < 0 {
				b.WriteString(rest)
				break
			}
			b.WriteString(rest[:i])
			r, _ := utf8.DecodeLastRuneInString(rest[:i])
			if x, ok := readAs[r]; ok {
				r = x // a figure ends as it is read
			}
			switch {
			case r < 0xAC00 || r > 0xD7A3:
				b.WriteString(p.both)
			case (r-0xAC00)%28 == 0 || p.both == "(으)로" && (r-0xAC00)%28 == 8:
				b.WriteString(p.vowel)
			default:
				b.WriteString(p.consonant)
			}
			rest = rest[i+len(p.both):]
		}
		s = b.String()
	}
	return s
}

// Network names a network in the locale ("All networks" / "전체 네트워크").
func (l Locale) Network(n string) string {
	if n == allNetworks {
		return l.T("all networks")
	}
	return config.NetworkLabelIn(n, l.Lang)
}
