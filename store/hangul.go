package store

import (
	"unicode/utf8"
)

// Korean particles (josa) that may follow a noun, longest first so that the
// greedy strip prefers 에서 over 서-less readings and 으로 over 로.
var hangulParticles = []string{
	"에서부터", "이라고", "에게서", "한테서", "으로서", "으로써", "으로는", "에서는", "에서도",
	"에서", "에게", "한테", "으로", "까지", "부터", "보다", "처럼", "이랑", "이나", "께서",
	"에는", "에도", "로는", "로서", "로써", "라고", "마저", "조차", "밖에", "이며", "이고", "하고",
	"은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "랑", "도", "만", "로", "나", "께",
}

// isHangul reports whether r is a Hangul syllable or jamo.
func isHangul(r rune) bool {
	return (r >= 0xAC00 && r <= 0xD7A3) || // syllables
		(r >= 0x1100 && r <= 0x11FF) || // jamo
		(r >= 0x3130 && r <= 0x318F) || // compatibility jamo (ㅋㅋ)
		(r >= 0xA960 && r <= 0xA97F) || (r >= 0xD7B0 && r <= 0xD7FF)
}

// isCompatJamo reports whether r is a compatibility jamo, as used in
// laughter and emotion markers (ㅋㅋ, ㅎㅎ, ㅠㅠ).
func isCompatJamo(r rune) bool { return r >= 0x3131 && r <= 0x318E }

// allHangul reports whether s is non-empty and made of Hangul only.
func allHangul(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !isHangul(r) {
			return false
		}
	}
	return true
}

// stripOneParticle removes one trailing particle (or a run of trailing
// compatibility jamo) from a Hangul word. It never strips the whole word: at
// least one syllable must remain. ok is false when nothing was stripped.
func stripOneParticle(w string) (string, bool) {
	// ㅋㅋ-style markers glued to the word.
	end := len(w)
	for end > 0 {
		r, size := utf8.DecodeLastRuneInString(w[:end])
		if !isCompatJamo(r) {
			break
		}
		end -= size
	}
	if end < len(w) && end > 0 {
		return w[:end], true
	}
	for _, p := range hangulParticles {
		if len(w) > len(p) && w[len(w)-len(p):] == p {
			return w[:len(w)-len(p)], true
		}
	}
	return w, false
}

// hangulStems returns the successive particle-stripped forms of a Hangul word,
// shortest last, without the word itself: 삼성에서는 → [삼성에서 삼성].
func hangulStems(w string) []string {
	var out []string
	for i := 0; i < 4; i++ { // particle chains are short; bound the work
		s, ok := stripOneParticle(w)
		if !ok {
			break
		}
		out = append(out, s)
		w = s
	}
	return out
}

// onlyParticles reports whether w is made entirely of particles, e.g. the 의 in
// "Acme의" once the Latin part is split off.
func onlyParticles(w string) bool {
	for i := 0; w != "" && i < 4; i++ {
		found := false
		for _, p := range hangulParticles {
			if len(w) >= len(p) && w[len(w)-len(p):] == p {
				w = w[:len(w)-len(p)]
				found = true
				break
			}
		}
		if !found {
			// trailing markers count as particles too
			r, size := utf8.DecodeLastRuneInString(w)
			if !isCompatJamo(r) {
				return false
			}
			w = w[:len(w)-size]
		}
	}
	return w == ""
}
