package feed

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// xmlDecl matches the XML declaration and captures its encoding value.
var xmlDecl = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["'][^>]*\?>`)

// toUTF8 returns body as UTF-8 and the name of the charset it was read in.
// The charset comes from, in order: a byte order mark (UTF-8, UTF-16,
// UTF-32), the byte pattern of an undeclared UTF-16/32 "<?xml", the XML
// declaration, the charset parameter of contentType; without any, UTF-8.
// An XML declaration naming another encoding is rewritten to UTF-8 so the
// parser does not convert twice; bytes still invalid after decoding become
// U+FFFD, so one bad byte costs one character, not the feed.
func toUTF8(body []byte, contentType string) ([]byte, string) {
	enc, name, rest := sniff(body)
	if enc == nil {
		if m := xmlDecl.FindSubmatch(body); m != nil {
			name = strings.ToLower(string(m[1]))
			enc = lookup(name)
		}
	}
	if enc == nil {
		if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
			name = strings.ToLower(params["charset"])
			enc = lookup(name)
		}
	}
	if enc == nil {
		name = "utf-8"
	} else if out, err := enc.NewDecoder().Bytes(rest); err == nil {
		rest = out
	}
	if loc := xmlDecl.FindSubmatchIndex(rest); loc != nil && !strings.EqualFold(string(rest[loc[2]:loc[3]]), "utf-8") {
		rest = append(append(append([]byte(nil), rest[:loc[2]]...), "UTF-8"...), rest[loc[3]:]...)
	}
	if !utf8.Valid(rest) {
		rest = bytes.ToValidUTF8(rest, []byte("\uFFFD"))
	}
	return rest, name
}

// sniff reads a byte order mark, or the first bytes of an undeclared
// UTF-16/32 document; it returns the body without the mark.
func sniff(b []byte) (encoding.Encoding, string, []byte) {
	switch {
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0xFE, 0xFF}):
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "utf-32be", b[4:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0x00, 0x00}):
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "utf-32le", b[4:]
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return encoding.Nop, "utf-8", b[3:]
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", b[2:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", b[2:]
	case bytes.HasPrefix(b, []byte{0, 0, 0, '<'}):
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "utf-32be", b
	case bytes.HasPrefix(b, []byte{'<', 0, 0, 0}):
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "utf-32le", b
	case bytes.HasPrefix(b, []byte{0, '<', 0}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", b
	case bytes.HasPrefix(b, []byte{'<', 0, '?', 0}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", b
	}
	return nil, "", b
}

// lookup resolves a charset label (WHATWG names: "euc-kr", "shift_jis",
// "iso-8859-1" = windows-1252); nil for UTF-8 and unknown labels. A
// "utf-16" label without a byte order mark is read little-endian.
func lookup(label string) encoding.Encoding {
	switch label {
	case "utf-8", "utf8":
		return nil
	case "utf-16", "utf-16le":
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	case "utf-16be":
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	case "utf-32", "utf-32le":
		return utf32.UTF32(utf32.LittleEndian, utf32.UseBOM)
	case "utf-32be":
		return utf32.UTF32(utf32.BigEndian, utf32.UseBOM)
	}
	enc, _ := charset.Lookup(label)
	return enc
}

// fixC1 maps the C1 control characters U+0080–U+009F, which in feeds are
// Windows-1252 bytes read as Latin-1 ("don\u0092t"), to the characters
// Windows-1252 gives them (don’t); the five bytes it leaves undefined
// become U+FFFD.
func fixC1(s string) string {
	if !strings.ContainsFunc(s, isC1) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if !isC1(r) {
			return r
		}
		if d := charmap.Windows1252.DecodeByte(byte(r)); !isC1(d) {
			return d
		}
		return utf8.RuneError
	}, s)
}

func isC1(r rune) bool { return r >= 0x80 && r <= 0x9F }
