package store

import (
	"errors"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendJSON appends m encoded exactly as json.Marshal(m) would (same
// fields, order, omitempty rules, HTML-safe string escapes and float
// format) without reflection: encoding every stored mention through
// encoding/json was a tenth of Commit's CPU. FuzzMentionJSON holds it to
// json.Marshal byte for byte.
func (m *Mention) appendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = appendJSONString(b, m.ID)
	b = append(b, `,"network":`...)
	b = appendJSONString(b, m.Network)
	b = append(b, `,"source":`...)
	b = appendJSONString(b, m.Source)
	b = append(b, `,"native_id":`...)
	b = appendJSONString(b, m.NativeID)
	b = append(b, `,"url":`...)
	b = appendJSONString(b, m.URL)
	if m.Title != "" {
		b = append(b, `,"title":`...)
		b = appendJSONString(b, m.Title)
	}
	if m.ParentTitle != "" {
		b = append(b, `,"parent_title":`...)
		b = appendJSONString(b, m.ParentTitle)
	}
	b = append(b, `,"text":`...)
	b = appendJSONString(b, m.Text)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, m.Kind)
	if m.Author != "" {
		b = append(b, `,"author":`...)
		b = appendJSONString(b, m.Author)
	}
	if m.AuthorName != "" {
		b = append(b, `,"author_name":`...)
		b = appendJSONString(b, m.AuthorName)
	}
	if m.AuthorFollowers != 0 {
		b = append(b, `,"author_followers":`...)
		b = strconv.AppendInt(b, m.AuthorFollowers, 10)
	}
	b = append(b, `,"published":`...)
	if b, err = appendJSONTime(b, m.Published); err != nil {
		return nil, err
	}
	b = append(b, `,"fetched":`...)
	if b, err = appendJSONTime(b, m.Fetched); err != nil {
		return nil, err
	}
	if m.Lang != "" {
		b = append(b, `,"lang":`...)
		b = appendJSONString(b, m.Lang)
	}
	if len(m.Engagement) > 0 {
		b = append(b, `,"engagement":{`...)
		keys := make([]string, 0, len(m.Engagement))
		for k := range m.Engagement {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = strconv.AppendInt(b, m.Engagement[k], 10)
		}
		b = append(b, '}')
	}
	b = append(b, `,"engagement_total":`...)
	b = strconv.AppendInt(b, m.EngagementTotal, 10)
	if m.Exposure != nil {
		b = append(b, `,"exposure":`...)
		b = strconv.AppendInt(b, *m.Exposure, 10)
	}
	b = append(b, `,"brands":`...)
	b = appendJSONStrings(b, m.Brands)
	if len(m.Topics) > 0 {
		b = append(b, `,"topics":`...)
		b = appendJSONStrings(b, m.Topics)
	}
	if m.ReplyTo != "" {
		b = append(b, `,"reply_to":`...)
		b = appendJSONString(b, m.ReplyTo)
	}
	if len(m.Links) > 0 {
		b = append(b, `,"links":`...)
		b = appendJSONStrings(b, m.Links)
	}
	if m.PublishedEstimated {
		b = append(b, `,"published_estimated":true`...)
	}
	b = append(b, `,"sentiment":`...)
	if b, err = appendJSONFloat(b, m.Sentiment); err != nil {
		return nil, err
	}
	if m.SentimentLabel != "" {
		b = append(b, `,"sentiment_label":`...)
		b = appendJSONString(b, m.SentimentLabel)
	}
	if len(m.BrandSentiment) > 0 {
		b = append(b, `,"brand_sentiment":{`...)
		for i, k := range slices.Sorted(maps.Keys(m.BrandSentiment)) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, `:{"score":`...)
			if b, err = appendJSONFloat(b, m.BrandSentiment[k].Score); err != nil {
				return nil, err
			}
			b = append(b, `,"label":`...)
			b = appendJSONString(b, m.BrandSentiment[k].Label)
			b = append(b, '}')
		}
		b = append(b, '}')
	}
	if m.SentimentModel != "" {
		b = append(b, `,"sentiment_model":`...)
		b = appendJSONString(b, m.SentimentModel)
	}
	if !m.EngagementAt.IsZero() {
		b = append(b, `,"engagement_at":`...)
		if b, err = appendJSONTime(b, m.EngagementAt); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendJSONStrings encodes a string slice; nil is null, as in encoding/json.
func appendJSONStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONTime is time.Time's MarshalJSON, appended.
func appendJSONTime(b []byte, t time.Time) ([]byte, error) {
	b = append(b, '"')
	b, err := t.AppendText(b)
	if err != nil {
		return nil, err
	}
	return append(b, '"'), nil
}

// appendJSONFloat is encoding/json's float64 format.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, errors.New("json: unsupported value: " + strconv.FormatFloat(f, 'g', -1, 64))
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-09 → e-9, as encoding/json does
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString is encoding/json's string encoding with HTML escaping:
// <, > and & as \u003c, \u003e, \u0026; invalid UTF-8 as \ufffd; U+2028
// and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
