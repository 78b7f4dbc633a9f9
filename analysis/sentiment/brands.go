package sentiment

import (
	"math"
	"regexp"
	"slices"
	"strings"
)

// BrandTerms names one brand and the terms (name and aliases) that
// mention it.
type BrandTerms struct {
	Name  string
	Terms []string
}

// BrandResult is the sentiment of a post toward one brand.
type BrandResult struct {
	Brand string  `json:"brand"`
	Score float64 `json:"score"` // -1..1, as Result.Score
	Label string  `json:"label"`
	// Rule says how the label was found: "whole" (the post's own label:
	// one brand, or a brand the text does not name), "comparison" (a
	// comparison or switch names a winner and a loser), "clause" (the
	// clauses that name the brand), "shared" (both/둘 다: one label for
	// all).
	Rule string `json:"rule"`
}

// maxBrands bounds the brands AnalyzeBrands tells apart in one post (more
// get the post's own label): markers are zba…zbpz.
const maxBrands = 16

// brandMarker is the placeholder of the i-th brand while AnalyzeBrands
// reads a post.
func brandMarker(i int) string { return "zb" + string(rune('a'+i)) + "z" }

// AnalyzeBrands scores text as Analyze does (every brand's terms masked)
// and then gives each of brands its own label:
//
//  1. A brand the text does not name (matched by a field other than the
//     text), or a post naming fewer than two brands: the post's label.
//  2. A comparison or a switch (compareRules, oneSidedRules): the winner
//     positive, the loser negative, with score ±max(0.5, |post score|).
//  3. Otherwise clauses (a list, "A and B both …", shares its clause): the text is cut at sentence ends and contrastive
//     words (but, while, unlike, 하지만, -지만, -는데, 반면 …); a clause
//     that names no brand belongs to the clause before it; a brand's score
//     is the mean score of its clauses, each scored with every brand
//     masked, labelled with the model's band.
func (a *Analyzer) AnalyzeBrands(text string, c Context, brands []BrandTerms) (Result, []BrandResult) {
	if len(text) > maxTextBytes {
		text = strings.ToValidUTF8(text[:maxTextBytes], "")
	}
	all := slices.Clone(c.Terms)
	for _, b := range brands {
		all = append(all, b.Terms...)
	}
	whole := a.Analyze(text, Context{Brands: c.Brands, Terms: all})
	out := make([]BrandResult, len(brands))
	for i, b := range brands {
		out[i] = BrandResult{Brand: b.Name, Score: whole.Score, Label: whole.Label, Rule: "whole"}
	}
	if len(brands) < 2 || len(brands) > maxBrands || (whole.Lang != "en" && whole.Lang != "ko") {
		return whole, out
	}
	marked, present := markBrands(text, brands)
	if len(present) < 2 {
		return whole, out
	}
	low := strings.ToLower(marked)
	sc := a.scope(c.Brands)
	scoreOf := func(s string) Result {
		r := Result{Lang: whole.Lang, Label: Neutral}
		a.score(&r, maskText(unmark(s), c.Terms), sc)
		return r
	}
	if a.compare(low, whole, scoreOf, out) || a.oneSided(low, present, whole, out) {
		return whole, out
	}
	a.byClause(low, present, scoreOf, out)
	return whole, out
}

// markBrands replaces each brand's terms (longest first over all brands)
// with its marker, keeping endings, and returns the indexes of the
// brands the text names.
func markBrands(text string, brands []BrandTerms) (string, []int) {
	type term struct {
		t string
		i int
	}
	var ts []term
	for i, b := range brands {
		for _, t := range b.Terms {
			if t = strings.TrimSpace(t); t != "" {
				ts = append(ts, term{t, i})
			}
		}
	}
	slices.SortStableFunc(ts, func(x, y term) int { return len(y.t) - len(x.t) })
	for _, t := range ts {
		text = mask(text, []string{t.t}, brandMarker(t.i))
	}
	var present []int
	for i := range brands {
		if strings.Contains(text, brandMarker(i)) {
			present = append(present, i)
		}
	}
	return text, present
}

var markerRe = regexp.MustCompile(`zb[a-p]z`)

// unmark turns every brand marker back into the one brand placeholder.
func unmark(s string) string { return markerRe.ReplaceAllString(s, brandToken) }

func markerIndex(m string) int { return int(m[2] - 'a') }

// A comparison rule: a pattern with two marker groups, the first and
// second brand it names, and the sign the first one gets (+1 winner, -1
// loser, 0: the sign of the comparative in group "cmp", or of the
// sentence when there is none).
type compareRule struct {
	re    *regexp.Regexp
	first int
	// When the comparative is neither better nor worse and the sentence
	// is neutral, the first brand gets this sign (0: the rule does not
	// apply). "unlike A, B answers the phone" praises B.
	deflt int
	// cmpSecond: the comparative (group "cmp") describes the second brand
	// ("unlike A, B is fast"; "A보다 B가 빠르다"), not the first.
	cmpSecond bool
}

const m = `@?(zb[a-p]z)\S*`

var compareRules = []compareRule{
	// switched from A to B; A에서 B로 갈아탔다
	{regexp.MustCompile(`(?:switch\w*|mov\w*|migrat\w*|went|port\w*|chang\w*|loyalty)\s+(?:\w+\s+){0,2}from\s+` + m + `\s+to\s+` + m), -1, 0, false},
	{regexp.MustCompile(`(?:left|ditch\w*|dump\w*|drop\w*|quit|replac\w*|cancel\w*)\s+` + m + `\s+(?:for|with)\s+` + m), -1, 0, false},
	{regexp.MustCompile(m + `(?:에서는?|에서)\s*` + m), -1, 0, false},
	{regexp.MustCompile(m + `\s*(?:대신|살 바에는?|쓰다가?|접고|해지하고|버리고)\s*` + m), -1, 0, false},
	// A > B, A < B
	{regexp.MustCompile(m + `\s*>\s*` + m), +1, 0, false},
	{regexp.MustCompile(m + `\s*<\s*` + m), -1, 0, false},
	// B beats A; prefer B over A; B instead of A; B puts A to shame
	{regexp.MustCompile(m + `\s+(?:beats|destroys|crushes|puts|outperforms|wins over)\s+` + m), +1, 0, false},
	{regexp.MustCompile(`prefer\s+(?:the\s+)?` + m + `\s+(?:over|to)\s+(?:the\s+)?` + m), +1, 0, false},
	{regexp.MustCompile(m + `.{0,20}?\binstead of\s+(?:this\s+|the\s+|my\s+)?` + m), +1, 0, false},
	{regexp.MustCompile(m + `\s+is\s+(?:a\s+)?(?:huge\s+)?downgrade\s+from\s+` + m), -1, 0, false},
	{regexp.MustCompile(m + `\s+is\s+(?:a\s+)?(?:huge\s+)?upgrade\s+(?:from|over)\s+` + m), +1, 0, false},
	// B is better than A (the comparative decides); A보다 B가 낫다
	{regexp.MustCompile(m + `(?P<cmp>[^.!?]{0,40}?)\bthan\s+(?:the\s+)?` + m), 0, 0, false},
	{regexp.MustCompile(m + `(?P<cmp>[^.!?]{0,40}?)\bcompared (?:to|with)\s+(?:the\s+)?` + m), 0, 0, false},
	{regexp.MustCompile(`unlike\s+` + m + `,?\s+` + m + `(?P<cmp>[^.!?]*)`), 0, +1, true},
	{regexp.MustCompile(m + `(?:보다는?|에 비하면|에 비해서?)\s*(?:[^.!?]{0,20}?)` + m + `(?P<cmp>[^.!?]*)`), 0, 0, true},
	{regexp.MustCompile(m + `(?:이|가|은|는)?\s*` + m + `(?:보다는?|에 비하면|에 비해서?)(?P<cmp>[^.!?]*)`), 0, 0, false},
}

// Comparatives: the words that make "than" and 보다 mean better or worse.
var (
	betterRe = regexp.MustCompile(`\b(?:better|faster|cheaper|nicer|superior|smoother|easier|more reliable|clearer|friendlier|quicker|cooler|stronger)\b|낫|나음|좋|빠르|빨라|빠름|넓|친절|재밌|재미있|신선|최고|편해|편하|싸요|저렴|만족`)
	worseRe  = regexp.MustCompile(`\b(?:worse|slower|pricier|inferior|more expensive|harder|weaker|buggier|laggier|clunkier)\b|느려|느림|못하|별로|비싸|불편|나쁘|최악|좁|부족`)
)

// compare applies the first comparison rule that matches low (marked,
// lower-case text) and fills out for the two brands it names.
func (a *Analyzer) compare(low string, whole Result, scoreOf func(string) Result, out []BrandResult) bool {
	for _, r := range compareRules {
		g := r.re.FindStringSubmatchIndex(low)
		if g == nil {
			continue
		}
		ci := r.re.SubexpIndex("cmp")
		var marks []int
		for k := 1; k < len(g)/2; k++ {
			if k != ci && g[2*k] >= 0 {
				marks = append(marks, markerIndex(low[g[2*k]:g[2*k+1]]))
			}
		}
		x, y := marks[0], marks[1]
		if x == y {
			continue
		}
		sign := float64(r.first)
		if sign == 0 {
			cmp := low[g[2*ci]:g[2*ci+1]]
			switch {
			case worseRe.MatchString(cmp):
				sign = -1
			case betterRe.MatchString(cmp):
				sign = +1
			default:
				s := scoreOf(cmp)
				if s.Label == Neutral {
					s = scoreOf(low[g[0]:g[1]])
				}
				switch {
				case s.Label != Neutral:
					sign = math.Copysign(1, s.Score)
				case r.deflt != 0:
					sign = float64(r.deflt)
				default:
					continue
				}
			}
			if r.cmpSecond {
				x, y = y, x
			}
		}
		s := max(0.5, math.Abs(whole.Score))
		out[x] = BrandResult{Brand: out[x].Brand, Score: sign * s, Label: signLabel(sign), Rule: "comparison"}
		out[y] = BrandResult{Brand: out[y].Brand, Score: -sign * s, Label: signLabel(-sign), Rule: "comparison"}
		return true
	}
	return false
}

// oneSidedRules name one brand a winner (+1) or a loser (-1) of a choice
// between the two brands a post names: "switched to B", "never flying A
// again".
var oneSidedRules = []struct {
	re   *regexp.Regexp
	sign float64
}{
	{regexp.MustCompile(`(?:switch\w*|mov\w*|migrat\w*|went back|going back|port\w*|upgrad\w*|signed with|sticking with|stay with)\s+(?:\w+\s+){0,3}(?:to\s+|with\s+)?` + m), +1},
	{regexp.MustCompile(`(?:^|[.!?]\s*)(?:use|try|get|buy)\s+` + m), +1},
	{regexp.MustCompile(m + `(?:로|으로)\s*(?:갈아\S*|바꿨\S*|번호이동\S*|이전\S*|넘어\S*)`), +1},
	{regexp.MustCompile(m + `\S*\s+all the way`), +1},
	{regexp.MustCompile(`(?:never|not)\s+(?:\w+\s+)?(?:flying|using|buying|ordering from|going back to)\s+` + m), -1},
	{regexp.MustCompile(`(?:stop using|cancel+ed|ditch\w*|left|leaving|quit)\s+` + m), -1},
	{regexp.MustCompile(m + `\s*(?:다시는|절대)\s*안`), -1},
}

// oneSided applies the first one-sided rule that matches a post naming
// exactly two brands: the one it names gets the rule's sign, the other
// the opposite.
func (a *Analyzer) oneSided(low string, present []int, whole Result, out []BrandResult) bool {
	if len(present) != 2 {
		return false
	}
	for _, r := range oneSidedRules {
		g := r.re.FindStringSubmatch(low)
		if g == nil {
			continue
		}
		x := markerIndex(g[1])
		y := present[0]
		if y == x {
			y = present[1]
		}
		s := max(0.5, math.Abs(whole.Score))
		out[x] = BrandResult{Brand: out[x].Brand, Score: r.sign * s, Label: signLabel(r.sign), Rule: "comparison"}
		out[y] = BrandResult{Brand: out[y].Brand, Score: -r.sign * s, Label: signLabel(-r.sign), Rule: "comparison"}
		return true
	}
	return false
}

func signLabel(s float64) string {
	if s > 0 {
		return Positive
	}
	return Negative
}

// clauseRe cuts a post into clauses.
var clauseRe = regexp.MustCompile(`[.!?;\n]+\s*|,\s+|\s+(?:but|however|while|whereas|though|although|meanwhile|yet)\s+|\s+-\s+|(?:하지만|그런데|근데|반면에?|그러나)\s*|(?:지만|는데|은데|인데)\s+`)

// byClause gives each named brand the mean score of the clauses that
// name it (a clause naming no brand joins the one before it).
func (a *Analyzer) byClause(low string, present []int, scoreOf func(string) Result, out []BrandResult) {
	var groups []string
	last := 0
	cut := func(end int) {
		c := low[last:end]
		last = end
		if strings.TrimSpace(c) == "" {
			return
		}
		if len(groups) > 0 && !markerRe.MatchString(c) {
			groups[len(groups)-1] += " " + c
			return
		}
		groups = append(groups, c)
	}
	for _, loc := range clauseRe.FindAllStringIndex(low, -1) {
		cut(loc[1])
	}
	cut(len(low))
	sums := map[int]float64{}
	counts := map[int]int{}
	var lang string
	for _, g := range groups {
		r := scoreOf(g)
		lang = r.Lang
		for _, mk := range markerRe.FindAllString(g, -1) {
			i := markerIndex(mk)
			sums[i] += r.Score
			counts[i]++
		}
	}
	band := float64(a.enModel.Band)
	if lang == "ko" {
		band = float64(a.koModel.Band)
	}
	for _, i := range present {
		if counts[i] == 0 {
			continue
		}
		s := sums[i] / float64(counts[i])
		out[i] = BrandResult{Brand: out[i].Brand, Score: s, Label: label(s, band), Rule: "clause"}
	}
}
