package match

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// handleMentions marks brands whose handle (on any network) is written as
// @handle in s. The @ must not follow a word character (so e-mail
// addresses do not count); a Mastodon-style @user@instance is looked up
// whole.
func (m *Matcher) handleMentions(s string, found []bool) {
	if len(m.mentions) == 0 {
		return
	}
	for i := 0; i < len(s); {
		at := strings.IndexByte(s[i:], '@')
		if at < 0 {
			return
		}
		at += i
		i = at + 1
		if at > 0 {
			prev, _ := utf8.DecodeLastRuneInString(s[:at])
			if isHandleRune(prev) {
				continue
			}
		}
		end := handleEnd(s, at+1)
		if end == at+1 {
			continue
		}
		if end < len(s) && s[end] == '@' {
			if e2 := handleEnd(s, end+1); e2 > end+1 {
				end = e2
			}
		}
		for _, b := range m.mentions[normHandle(s[at+1:end])] {
			found[b] = true
		}
		i = end
	}
}

// handleEnd returns the end of the handle starting at i, without trailing
// dots or dashes ("@acme." ends a sentence).
func handleEnd(s string, i int) int {
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !isHandleRune(r) {
			break
		}
		j += size
	}
	for j > i && (s[j-1] == '.' || s[j-1] == '-') {
		j--
	}
	return j
}

func isHandleRune(r rune) bool {
	return r == '_' || r == '.' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}
