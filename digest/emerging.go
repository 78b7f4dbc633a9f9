package digest

import (
	"slices"
	"strings"

	"github.com/earshot/earshot/analysis/report"
)

// ownCountRatio is how much more often than a listed phrase a word it
// contains must occur to be listed too: "customer" is dropped beside
// "customer support" unless its count > 1.5 × the phrase's count (it then
// says something the phrase does not).
const ownCountRatio = 1.5

// emergingList is a brand's emerging phrases ("battery recall") then
// words, at most maxEmerging, without a word a listed phrase contains
// unless the word's count > ownCountRatio × that phrase's count (the
// phrase counts come from a sample, phrase_sample: a sampled phrase count
// is at most its full count, so a word is kept rather than dropped when in
// doubt).
func emergingList(bt report.BrandTerms) []report.Emerging {
	list := slices.Clone(bt.Phrases[:min(len(bt.Phrases), maxEmerging)])
	phrases := list
	for _, w := range bt.Terms {
		if len(list) == maxEmerging {
			break
		}
		if !subsumed(w, phrases) {
			list = append(list, w)
		}
	}
	return list
}

// subsumed tells whether a single word w is a word of one of phrases whose
// count is at least w's count ÷ ownCountRatio.
func subsumed(w report.Emerging, phrases []report.Emerging) bool {
	if strings.ContainsRune(w.Term, ' ') {
		return false
	}
	for _, p := range phrases {
		if slices.Contains(strings.Fields(p.Term), w.Term) && float64(w.Count) <= ownCountRatio*float64(p.Count) {
			return true
		}
	}
	return false
}
