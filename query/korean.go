package query

// particles are Korean postpositions (josa) and the copula forms that
// follow a noun without a space: 삼성은, 삼성에서, 삼성이랑, 삼성입니다.
// Chains of up to maxChain of them are recognised (에서는, 에게도, 이랑은).
var particles = map[string]bool{}

const maxChain = 3

func init() {
	for _, p := range []string{
		"은", "는", "이", "가", "을", "를", "의", "에", "께",
		"에서", "에게", "에게서", "한테", "한테서", "께서", "에서부터",
		"와", "과", "랑", "이랑", "하고",
		"도", "만", "뿐", "마저", "조차", "까지", "부터", "밖에",
		"로", "으로", "로서", "으로서", "로써", "으로써",
		"보다", "처럼", "같이", "만큼", "대로",
		"이나", "나", "이든", "든", "이든지", "든지", "이라도", "라도",
		"이다", "입니다", "이에요", "예요", "이었다", "였다", "이라고", "라고", "이라는", "라는",
		"이야", "이며", "이고",
	} {
		particles[p] = true
	}
}

// IsParticleChain reports whether s is one to three Korean particles in a
// row (는, 에서는, 이랑은), i.e. what may follow a Hangul noun in the same
// word. The empty string is not a chain.
func IsParticleChain(s string) bool { return chain(s, maxChain) }

func chain(s string, left int) bool {
	if s == "" || left == 0 {
		return false
	}
	// Particles are 1..4 syllables of 3 bytes each in UTF-8.
	for n := 3; n <= 12 && n <= len(s); n += 3 {
		if particles[s[:n]] && (n == len(s) || chain(s[n:], left-1)) {
			return true
		}
	}
	return false
}

// StripParticles removes a trailing particle chain from a normalised
// Hangul word, keeping a stem of at least one syllable: 삼성에서는 → 삼성,
// 삼성이랑 → 삼성. Words that are not all Hangul syllables, or have no
// particle ending, are returned unchanged (삼성동, 토스트). Search indexes
// apply it to both documents and queries; the matcher does not use it
// (it checks the text after a dictionary term with IsParticleChain, so a
// term that itself ends like a particle is never cut).
func StripParticles(tok string) string {
	if tok == "" {
		return tok
	}
	for _, r := range tok {
		if !IsHangulSyllable(r) {
			return tok
		}
	}
	// Prefer the shortest stem whose remainder is a chain: 삼성이랑은 →
	// 삼성, not 삼성이랑. A stem keeps at least one syllable.
	for i := 3; i < len(tok); i += 3 { // every syllable is 3 bytes in UTF-8
		if IsParticleChain(tok[i:]) {
			return tok[:i]
		}
	}
	return tok
}
