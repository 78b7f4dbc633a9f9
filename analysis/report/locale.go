package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
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

// Sprintf formats with the locale's number formatting.
func (l Locale) Sprintf(format string, a ...any) string { return l.printer().Sprintf(format, a...) }

// Network names a network in the locale ("All networks" / "전체 네트워크").
func (l Locale) Network(n string) string {
	if n == allNetworks {
		return l.T("all networks")
	}
	return NetworkLabel(n)
}
