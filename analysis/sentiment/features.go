package sentiment

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/earshot/earshot/analysis/sentiment/internal/komodel"
	"github.com/earshot/earshot/analysis/sentiment/internal/mlr"
	"github.com/earshot/earshot/query"
)

// featureVersion names the feature set of this file and cues.go. A model
// records the version it was trained with; New refuses another. Bump it
// with any change here and retrain (scripts/train-sentiment).
const featureVersion = 1

// FeatureVersion is featureVersion for the trainer.
const FeatureVersion = featureVersion

// Placeholders that replace what must keep its place in a sentence but
// carry no sentiment of its own: a brand term (other brands' terms too),
// a handle, a link. They are letters, so tokenizers keep them as words,
// and no lexicon has them.
const (
	brandToken = "zbrandz"
	userToken  = "zuserz"
	urlToken   = "zurlz"
)

// Feature namespaces (komodel uses 'c', 'w' and 'b' for Korean n-grams).
const (
	nsWord   byte = 'W'
	nsBigram byte = 'B'
	nsPrefix byte = 'P'
	nsNeg    byte = 'N'
	nsCue    byte = 'Q'
	nsDense  byte = 'D'
)

// featurizer turns one text into model features. It reuses its buffers:
// one per goroutine (Analyzer pools them).
type featurizer struct {
	mask  uint32
	seen  []uint64
	out   []mlr.Feat
	toks  []string
	cues  map[string]bool
	ko    *komodel.Extractor
	lower strings.Builder
}

func newFeaturizer(bits uint8) *featurizer {
	return &featurizer{
		mask: 1<<bits - 1, seen: make([]uint64, (1<<bits+63)/64),
		cues: map[string]bool{}, ko: komodel.NewExtractor(bits),
	}
}

// present adds a presence feature once per text.
func (x *featurizer) present(h mlr.Hash) {
	f := h.Sum() & x.mask
	if w, bit := f>>6, uint64(1)<<(f&63); x.seen[w]&bit == 0 {
		x.seen[w] |= bit
		x.out = append(x.out, mlr.Feat{Idx: f, Val: 1})
	}
}

// denseScale multiplies the value of every dense feature. AdaGrad's step
// in a weight shrinks with the gradients it has seen, and a feature present
// in every text (VADER's compound) sees the most: scaled up, its steps move
// the logits as far as a rare word's do.
const denseScale = 4

// dense adds a named real-valued feature.
func (x *featurizer) dense(name string, v float64) {
	if v != 0 {
		x.out = append(x.out, mlr.Feat{Idx: mlr.NewHash(nsDense).Str(name).Sum() & x.mask, Val: float32(denseScale * v)})
	}
}

func (x *featurizer) reset() {
	for _, f := range x.out {
		x.seen[f.Idx>>6] = 0
	}
	x.out = x.out[:0]
	clear(x.cues)
}

// lexicon adds VADER's view of the text: compound, its band, the positive
// and negative shares, and whether any word carried valence.
func (x *featurizer) lexicon(prefix string, v vaderScore) {
	x.dense(prefix+"compound", v.Compound)
	x.dense(prefix+"pos", v.Pos)
	x.dense(prefix+"neg", v.Neg)
	band := "0"
	switch {
	case v.Hits == 0:
		band = "none"
	case v.Compound >= 0.5:
		band = "++"
	case v.Compound >= 0.05:
		band = "+"
	case v.Compound <= -0.5:
		band = "--"
	case v.Compound <= -0.05:
		band = "-"
	}
	x.dense(prefix+"band"+band, 1)
}

// complaintGroups are the cue groups that tell a complaint.
var complaintGroups = []string{"cancel", "delay", "wait", "money", "outage", "lost", "nobody"}

// interactions adds the cue combinations that overturn the lexicon:
// praise words around a complaint (sarcasm, politeness), a question about
// one, thanks inside one.
func (x *featurizer) interactions(v vaderScore) {
	n := 0
	for _, g := range complaintGroups {
		if x.cues[g] {
			n++
		}
	}
	if n == 0 {
		return
	}
	x.dense("complaints", float64(min(n, 3)))
	if v.Compound >= 0.05 {
		x.dense("pos&complaint", 1)
	}
	if v.Compound <= -0.05 {
		x.dense("neg&complaint", 1)
	}
	for _, g := range []string{"ask", "thanks", "again", "care", "praise", "laugh"} {
		if x.cues[g] {
			x.dense(g+"&complaint", 1)
		}
	}
}

func (x *featurizer) cue(group string) {
	if !x.cues[group] {
		x.cues[group] = true
		x.present(mlr.NewHash(nsCue).Str(group))
	}
}

// english returns the features of English text whose brand terms are
// already masked; v is VADER's score of the same text.
func (x *featurizer) english(text string, v vaderScore) []mlr.Feat {
	x.reset()
	toks := x.toks[:0]
	x.lower.Reset()
	excl, quest, caps := 0, 0, 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '!':
			excl++
		case r == '?':
			quest++
		case r == '@' || r == 'h' || r == 'w':
			if n := linkOrHandle(text[i:]); n > 0 {
				// A handle stays a handle ("@zbrandz" addresses the
				// brand, "zbrandz" names it).
				tok := urlToken
				if r == '@' {
					tok = "@" + userToken
					if strings.HasPrefix(text[i+1:], brandToken) {
						tok = "@" + brandToken
					}
				}
				toks = append(toks, tok)
				i += n
				continue
			}
		}
		if !isWordRune(r) {
			switch {
			case r >= 0x2000 && (unicode.IsSymbol(r) || unicode.Is(unicode.Other_Math, r)):
				// An emoji or symbol is a word of its own (❤, 🙌, 👎).
				toks = append(toks, text[i:i+size])
			case r < utf8.RuneSelf && isASCIIPunct(byte(r)) && r != '@':
				// A run of ASCII punctuation: an emoticon (":)", "<3",
				// ":-(") or emphasis ("!!", "?!"); runs are capped at 3.
				j := i + 1
				for j < len(text) && j-i < 3 && isASCIIPunct(text[j]) {
					j++
				}
				if j-i >= 2 || r == ')' || r == '(' {
					toks = append(toks, text[i:j])
				}
				i = j
				continue
			}
			i += size
			continue
		}
		// A word: letters, digits, marks and inner apostrophes.
		j := i
		upper, lower := 0, 0
		for j < len(text) {
			r, s := utf8.DecodeRuneInString(text[j:])
			if r == '’' {
				r = '\''
			}
			if !isWordRune(r) && !(r == '\'' && j+s < len(text) && j > i) {
				break
			}
			if unicode.IsUpper(r) {
				upper++
			} else if unicode.IsLower(r) {
				lower++
			}
			j += s
		}
		w := strings.TrimRight(strings.ReplaceAll(text[i:j], "’", "'"), "'")
		if upper > 0 {
			if lower == 0 && upper >= 2 {
				caps++
			}
			w = strings.ToLower(w)
		}
		w = squeeze(w)
		if strings.HasPrefix(w, brandToken) {
			w = brandToken // zbrandz's is the brand
		}
		toks = append(toks, w)
		i = j
	}
	x.toks = toks
	prev := "<s>"
	negLeft := 0
	for i, w := range toks {
		if w != brandToken { // a named brand is no evidence; only its context is
			x.present(mlr.NewHash(nsWord).Str(w))
		}
		if w != brandToken || prev != "<s>" { // nor is a brand at the start
			x.present(mlr.NewHash(nsBigram).Str(prev).Byte(' ').Str(w))
		}
		if len(w) > 5 && w[0] < utf8.RuneSelf && !isPlaceholder(w) {
			x.present(mlr.NewHash(nsPrefix).Str(w[:5]))
		}
		if negLeft > 0 {
			x.present(mlr.NewHash(nsNeg).Str(w))
			negLeft--
		}
		if negated(w) || w == "no" {
			negLeft = 3
		}
		if g, ok := enCues[w]; ok {
			x.cue(g)
		}
		if g, ok := enPhrases[prev+" "+w]; ok {
			x.cue(g)
		}
		if isNumber(w) && i+1 < len(toks) {
			if g := enCues[toks[i+1]]; g == "wait" {
				x.cue("duration")
			}
		}
		prev = w
	}
	if len(toks) > 0 && toks[0] == "@"+brandToken {
		x.cue("reply")
	}
	x.dense("excl", float64(min(excl, 3)))
	x.dense("quest", float64(min(quest, 3)))
	x.dense("caps", float64(min(caps, 3)))
	x.lexicon("", v)
	x.interactions(v)
	x.dense("bias", 1)
	return x.out
}

// squeeze caps runs of one ASCII letter at two ("soooo" → "soo",
// "yayyyy" → "yayy"), so that elongation does not make new words.
func squeeze(w string) string {
	for i := 2; i < len(w); i++ {
		if w[i] == w[i-1] && w[i] == w[i-2] && w[i] < utf8.RuneSelf {
			b := []byte(w[:i])
			for ; i < len(w); i++ {
				if n := len(b); !(n >= 2 && w[i] == b[n-1] && w[i] == b[n-2] && w[i] < utf8.RuneSelf) {
					b = append(b, w[i])
				}
			}
			return string(b)
		}
	}
	return w
}

// isPlaceholder reports whether w is one of the mask placeholders (a
// brand, a handle, a link): they carry no evidence of their own, so no
// prefix of them is a feature.
func isPlaceholder(w string) bool {
	w = strings.TrimPrefix(w, "@")
	return w == brandToken || w == userToken || w == urlToken
}

// linkOrHandle returns the length of the link (http://, https://, www.) or
// handle (@name) at the start of s, or 0.
func linkOrHandle(s string) int {
	switch {
	case s[0] == '@':
		n := 1
		for n < len(s) && (isASCIIWord(s[n])) {
			n++
		}
		if n == 1 {
			return 0
		}
		return n
	case strings.HasPrefix(s, "http://"), strings.HasPrefix(s, "https://"), strings.HasPrefix(s, "www."):
		n := strings.IndexFunc(s, unicode.IsSpace)
		if n < 0 {
			n = len(s)
		}
		return n
	}
	return 0
}

func isASCIIWord(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}

func isNumber(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// korean returns the features of Korean text whose brand terms are
// already masked: komodel's character n-grams and words, then negation,
// cue groups, and VADER's view of the Latin words (v, zero when none).
func (x *featurizer) korean(text string, v vaderScore) []mlr.Feat {
	x.reset()
	for _, f := range x.ko.Features(text) { // distinct, in komodel's namespaces
		x.seen[f>>6] |= 1 << (f & 63)
		x.out = append(x.out, mlr.Feat{Idx: f, Val: 1})
	}
	words := x.toks[:0]
	for _, w := range strings.Fields(strings.ToLower(text)) {
		if w = strings.TrimFunc(w, isPunctOrSymbol); w != "" {
			words = append(words, w)
		}
		if strings.Contains(w, "?") {
			x.dense("quest", 1)
		}
	}
	x.toks = words
	for i, w := range words {
		if koNegators[w] && i+1 < len(words) {
			x.present(mlr.NewHash(nsNeg).Str(query.KoreanStem(words[i+1])))
		}
		if i+1 < len(words) && (strings.HasSuffix(w, "지") || strings.HasSuffix(w, "진")) && hasAnyPrefix(words[i+1], koNegTails) {
			x.present(mlr.NewHash(nsNeg).Str(strings.TrimSuffix(strings.TrimSuffix(w, "지"), "진")))
		}
		if k := strings.Index(w, "지않"); k > 0 {
			x.present(mlr.NewHash(nsNeg).Str(w[:k]))
		}
		if k := strings.Index(w, "지못"); k > 0 {
			x.present(mlr.NewHash(nsNeg).Str(w[:k]))
		}
		for _, c := range koCues {
			if strings.Contains(w, c.sub) {
				x.cue(c.group)
			}
		}
	}
	if v.Hits > 0 {
		x.lexicon("latin:", v)
	}
	x.interactions(vaderScore{})
	x.dense("bias", 1)
	return x.out
}

func hasAnyPrefix(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func isPunctOrSymbol(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }
