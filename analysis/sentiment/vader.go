package sentiment

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// vader is the English scorer: a port of upstream VADER's rules over a
// lexicon that may carry user overrides. It is read-only after New.
type vader struct {
	lex        map[string]float64 // lower-cased token or phrase → valence
	phrases    map[string]bool    // multi-word keys of lex and of every override
	firsts     map[string]bool    // the first word of every key in phrases
	maxPhrase  int                // words in the longest phrase
	emoji      map[string]string
	maxEmojiRS int
}

// vaderScore is VADER's output plus the number of tokens that carried
// valence (evidence), used to weigh English against Korean in mixed texts.
type vaderScore struct {
	Pos, Neu, Neg, Compound float64
	Hits                    int
}

// scope is what one Analyze call adds to the lexicon: the overrides of
// the mention's brands, looked up before the shared lexicon.
type scope []map[string]float64

func (v *vader) lookup(sc scope, w string) (float64, bool) {
	for _, m := range sc {
		if s, ok := m[w]; ok {
			return s, true
		}
	}
	s, ok := v.lex[w]
	return s, ok
}

// asciiPunct is Python's string.punctuation, which VADER strips.
const asciiPunct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// stripPuncIfWord removes leading and trailing ASCII punctuation unless
// that leaves two runes or fewer (then the token is likely an emoticon).
func stripPuncIfWord(tok string) string {
	s := trimPunct(tok)
	if utf8.RuneCountInString(s) <= 2 {
		return tok
	}
	return s
}

// trimPunct is strings.Trim(s, asciiPunct) without building the cut set
// on every call (it showed in ingest profiles).
func trimPunct(s string) string {
	i, j := 0, len(s)
	for i < j && isASCIIPunct(s[i]) {
		i++
	}
	for j > i && isASCIIPunct(s[j-1]) {
		j--
	}
	return s[i:j]
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// isUpper is Python's str.isupper: at least one cased rune, none lower.
func isUpper(s string) bool {
	cased := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) || unicode.IsTitle(r) {
			cased = true
		}
	}
	return cased
}

// replaceEmoji swaps each emoji for its description, as upstream does,
// but matches multi-code-point keys (❤️) first and drops the variation
// selectors, skin-tone modifiers and joiners that upstream leaves glued
// to the description (where they hide "heart" from the lexicon).
func (v *vader) replaceEmoji(text string) string {
	var b *strings.Builder
	prevSpace := true
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r < 0x00A9 { // no emoji below ©
			if b != nil {
				b.WriteRune(r)
			}
			prevSpace = r == ' '
			i += size
			continue
		}
		if isEmojiJoiner(r) {
			if b == nil {
				b = newBuilder(text, i)
			}
			i += size
			continue
		}
		// Longest key starting here.
		desc, n := "", 0
		end := i
		for k := 1; k <= v.maxEmojiRS && end < len(text); k++ {
			_, s := utf8.DecodeRuneInString(text[end:])
			end += s
			if d, ok := v.emoji[text[i:end]]; ok {
				desc, n = d, end-i
			}
		}
		if n == 0 {
			if b != nil {
				b.WriteRune(r)
			}
			prevSpace = unicode.IsSpace(r)
			i += size
			continue
		}
		if b == nil {
			b = newBuilder(text, i)
		}
		if !prevSpace {
			b.WriteByte(' ')
		}
		b.WriteString(desc)
		prevSpace = false
		i += n
	}
	if b == nil {
		return strings.TrimSpace(text)
	}
	return strings.TrimSpace(b.String())
}

func newBuilder(text string, upto int) *strings.Builder {
	b := &strings.Builder{}
	b.Grow(len(text) + 32)
	b.WriteString(text[:upto])
	return b
}

func isEmojiJoiner(r rune) bool {
	return r == 0xFE0E || r == 0xFE0F || r == 0x200D || (r >= 0x1F3FB && r <= 0x1F3FF)
}

// tokens splits text at whitespace, strips punctuation as upstream does,
// and joins runs of words that form a multi-word lexicon or override
// entry ("can't stand", "killer feature") into one token.
func (v *vader) tokens(text string, sc scope) []string {
	words := strings.Fields(text)
	for i, w := range words {
		words[i] = stripPuncIfWord(w)
	}
	if v.maxPhrase < 2 || len(words) < 2 {
		return words
	}
	// keys[i] is words[i] as it appears in phrase keys; a phrase is only
	// looked for where its first word stands.
	keys := make([]string, len(words))
	for i, w := range words {
		keys[i] = strings.ToLower(trimPunct(w))
	}
	var out []string // nil until a phrase joins words
	for i := 0; i < len(words); {
		n := 1
		if v.firsts[keys[i]] {
			for k := min(v.maxPhrase, len(words)-i); k >= 2; k-- {
				key := strings.Join(keys[i:i+k], " ")
				if !v.phrases[key] {
					continue
				}
				if _, ok := v.lookup(sc, key); ok {
					n = k
					break
				}
			}
		}
		if n > 1 && out == nil {
			out = append(make([]string, 0, len(words)), words[:i]...)
		}
		switch {
		case n > 1:
			out = append(out, strings.Join(words[i:i+n], " "))
		case out != nil:
			out = append(out, words[i])
		}
		i += n
	}
	if out == nil {
		return words
	}
	return out
}

// score runs VADER on text (brand terms already masked).
func (v *vader) score(text string, sc scope) vaderScore {
	text = v.replaceEmoji(text)
	words := v.tokens(text, sc)
	if len(words) == 0 {
		return vaderScore{}
	}
	lower := make([]string, len(words))
	upper := make([]bool, len(words))
	nUpper := 0
	for i, w := range words {
		lower[i] = strings.ToLower(w)
		if upper[i] = isUpper(w); upper[i] {
			nUpper++
		}
	}
	capDiff := nUpper > 0 && nUpper < len(words)
	inLex := func(i int) bool { _, ok := v.lookup(sc, lower[i]); return ok }

	sentiments := make([]float64, len(words))
	hits := 0
	for i := range words {
		item := lower[i]
		if _, ok := boosters[item]; ok {
			continue
		}
		if i < len(words)-1 && item == "kind" && lower[i+1] == "of" {
			continue
		}
		base, ok := v.lookup(sc, item)
		if !ok {
			continue
		}
		valence := base
		if item == "no" && i != len(words)-1 && inLex(i+1) {
			valence = 0 // "no" negates the next word instead
		}
		if (i > 0 && lower[i-1] == "no") || (i > 1 && lower[i-2] == "no") ||
			(i > 2 && lower[i-3] == "no" && (lower[i-1] == "or" || lower[i-1] == "nor")) {
			valence = base * nScalar
		}
		if upper[i] && capDiff {
			if valence > 0 {
				valence += cIncr
			} else {
				valence -= cIncr
			}
		}
		for start := 0; start < 3; start++ {
			j := i - (start + 1)
			if j < 0 || inLex(j) {
				continue
			}
			s := scalarIncDec(lower[j], upper[j], valence, capDiff)
			switch {
			case start == 1 && s != 0:
				s *= 0.95
			case start == 2 && s != 0:
				s *= 0.9
			}
			valence += s
			valence = negationCheck(valence, lower, start, i)
			if start == 2 {
				valence = specialIdioms(valence, lower, i)
			}
		}
		valence = v.leastCheck(sc, valence, lower, i)
		sentiments[i] = valence
		if valence != 0 {
			hits++
		}
	}
	butCheck(lower, sentiments)
	return scoreValence(sentiments, text, hits)
}

func scalarIncDec(lower string, upper bool, valence float64, capDiff bool) float64 {
	s, ok := boosters[lower]
	if !ok {
		return 0
	}
	if valence < 0 {
		s = -s
	}
	if upper && capDiff {
		if valence > 0 {
			s += cIncr
		} else {
			s -= cIncr
		}
	}
	return s
}

func negated(w string) bool { return negateWords[w] || strings.Contains(w, "n't") }

func negationCheck(valence float64, w []string, start, i int) float64 {
	switch start {
	case 0:
		if negated(w[i-1]) {
			valence *= nScalar
		}
	case 1:
		switch {
		case w[i-2] == "never" && (w[i-1] == "so" || w[i-1] == "this"):
			valence *= 1.25
		case w[i-2] == "without" && w[i-1] == "doubt":
		case negated(w[i-2]):
			valence *= nScalar
		}
	case 2:
		switch {
		case w[i-3] == "never" && (w[i-2] == "so" || w[i-2] == "this") || (w[i-1] == "so" || w[i-1] == "this"):
			valence *= 1.25
		case w[i-3] == "without" && (w[i-2] == "doubt" || w[i-1] == "doubt"):
		case negated(w[i-3]):
			valence *= nScalar
		}
	}
	return valence
}

// specialIdioms applies specialCases and two-word dampeners around i (i ≥ 3).
func specialIdioms(valence float64, w []string, i int) float64 {
	onezero := w[i-1] + " " + w[i]
	twoonezero := w[i-2] + " " + w[i-1] + " " + w[i]
	twoone := w[i-2] + " " + w[i-1]
	threetwoone := w[i-3] + " " + w[i-2] + " " + w[i-1]
	threetwo := w[i-3] + " " + w[i-2]
	for _, seq := range []string{onezero, twoonezero, twoone, threetwoone, threetwo} {
		if s, ok := specialCases[seq]; ok {
			valence = s
			break
		}
	}
	if len(w)-1 > i {
		if s, ok := specialCases[w[i]+" "+w[i+1]]; ok {
			valence = s
		}
	}
	if len(w)-1 > i+1 {
		if s, ok := specialCases[w[i]+" "+w[i+1]+" "+w[i+2]]; ok {
			valence = s
		}
	}
	for _, g := range []string{threetwoone, threetwo, twoone} {
		if s, ok := boosters[g]; ok {
			valence += s
		}
	}
	return valence
}

func (v *vader) leastCheck(sc scope, valence float64, w []string, i int) float64 {
	if i > 0 && w[i-1] == "least" {
		if _, ok := v.lookup(sc, "least"); ok {
			return valence
		}
		if i == 1 || (w[i-2] != "at" && w[i-2] != "very") {
			valence *= nScalar
		}
	}
	return valence
}

// butCheck halves the sentiment before the first "but" and multiplies the
// sentiment after it by 1.5. (Upstream locates each value with
// list.index, which misplaces repeated values; this uses positions.)
func butCheck(w []string, s []float64) {
	bi := -1
	for i, x := range w {
		if x == "but" {
			bi = i
			break
		}
	}
	if bi < 0 {
		return
	}
	for i := range s {
		switch {
		case i < bi:
			s[i] *= 0.5
		case i > bi:
			s[i] *= 1.5
		}
	}
}

func scoreValence(s []float64, text string, hits int) vaderScore {
	var sum float64
	for _, x := range s {
		sum += x
	}
	punct := punctuationEmphasis(text)
	switch {
	case sum > 0:
		sum += punct
	case sum < 0:
		sum -= punct
	}
	compound := normalize(sum)
	var pos, neg float64
	var neu int
	for _, x := range s {
		switch {
		case x > 0:
			pos += x + 1
		case x < 0:
			neg += x - 1
		default:
			neu++
		}
	}
	if pos > math.Abs(neg) {
		pos += punct
	} else if pos < math.Abs(neg) {
		neg -= punct
	}
	total := pos + math.Abs(neg) + float64(neu)
	return vaderScore{
		Pos: math.Abs(pos / total), Neg: math.Abs(neg / total), Neu: math.Abs(float64(neu) / total),
		Compound: compound, Hits: hits,
	}
}

func punctuationEmphasis(text string) float64 {
	ep := min(strings.Count(text, "!"), 4)
	amp := float64(ep) * 0.292
	if qm := strings.Count(text, "?"); qm > 1 {
		if qm <= 3 {
			amp += float64(qm) * 0.18
		} else {
			amp += 0.96
		}
	}
	return amp
}

func normalize(score float64) float64 {
	n := score / math.Sqrt(score*score+alpha)
	return max(-1, min(1, n))
}
