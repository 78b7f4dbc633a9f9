package report

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/query"
	"github.com/earshot/earshot/store"
)

// minEmerging is the fewest uses in the window for a word to be reported;
// minG2 is the χ² critical value at p = 0.05 with one degree of freedom.
const (
	minEmerging = 3
	minG2       = 3.84
)

var emergingFormula = []string{
	"word counts = mentions of the brand using the word (once per mention; title and text, NFKC, case folded, Korean particles stripped), per UTC hour summed into local days: the window against the 28 days before it",
	"G² (Dunning log-likelihood) = 2 Σ O ln(O ÷ E) over the window and baseline counts, E = expected count if the word were as frequent in both; only words relatively more frequent in the window",
	"lift = (count ÷ window words) ÷ ((baseline count + 1) ÷ baseline words)",
	"English and Korean stopwords, numbers, one-letter words and the brands' own names, terms and domains (initech.example: initech, example) are left out; a word needs at least 3 uses in the window and G² ≥ 3.84 (p < 0.05)",
}

// termHours are the word counts read for the emerging words: the brands'
// hours of [from, to), by hour, kept for the spike explanations whose
// ranges they cover (one read instead of two).
type termHours struct {
	from, to time.Time
	hours    []store.TermHour
}

// emerging ranks each brand's words of the window against the baseline.
// The words come numbered (store.TermCount.ID, one read), so they are
// counted in slices indexed by that number, each word checked against
// the stopwords and brand words once, and turned into maps only at the
// end, for rankTerms.
func emerging(ctx context.Context, src Source, w window, cfg *config.Config, brands []string) (EmergingSection, *termHours, error) {
	sec := EmergingSection{Formula: emergingFormula}
	skip := brandTerms(cfg)
	baseStart := w.start.AddDate(0, 0, -baselineDays)
	at := map[string]int{} // brand → its counts (a brand named twice counts once)
	for i, b := range brands {
		if _, ok := at[b]; !ok {
			at[b] = i
		}
	}
	cur, base := make([]idCounts, len(brands)), make([]idCounts, len(brands))
	var words []string // by ID
	var keep []int8    // by ID: 0 not met yet, 1 counted, -1 a stopword or brand word
	kept := &termHours{from: baseStart, to: w.end}
	err := src.TermHoursOf(ctx, baseStart, w.end, brands, func(th store.TermHour) error {
		bi, ok := at[th.Brand]
		if th.Brand == "" || !ok || th.Hour.Before(baseStart) || !th.Hour.Before(w.end) {
			return nil
		}
		kept.hours = append(kept.hours, th)
		dst := &base[bi]
		if !th.Hour.Before(w.start) {
			dst = &cur[bi]
		}
		for _, tc := range th.Terms {
			id := int(tc.ID)
			if id >= len(keep) {
				keep, words = grown(keep, id+1), grown(words, id+1)
			}
			if keep[id] == 0 {
				words[id], keep[id] = tc.Term, 1
				if skip[tc.Term] || isStopword(tc.Term) {
					keep[id] = -1
				}
			}
			if keep[id] > 0 {
				dst.add(id, tc.Count)
			}
		}
		return nil
	})
	if err != nil {
		return sec, nil, err
	}
	from, to := w.start.Format(time.DateOnly), w.end.AddDate(0, 0, -1).Format(time.DateOnly)
	for _, b := range brands {
		terms := rankTerms(cur[at[b]].byWord(words), base[at[b]].byWord(words))
		for i := range terms {
			terms[i].Search = SearchQuery{Query: termQuery(terms[i].Term), Brand: b, Kind: store.KindMention, From: from, To: to}.URL()
		}
		sec.Brands = append(sec.Brands, BrandTerms{Brand: b, Terms: terms})
	}
	return sec, kept, nil
}

// idCounts are word counts indexed by word ID; seen marks the words met
// (a count may sum to 0 and is still a key, as addTerms would keep it).
type idCounts struct {
	n    []int64
	seen []bool
}

func (c *idCounts) add(id int, n int64) {
	if id >= len(c.n) {
		c.n, c.seen = grown(c.n, id+1), grown(c.seen, id+1)
	}
	c.n[id] += n
	c.seen[id] = true
}

// byWord is the counts keyed by word.
func (c *idCounts) byWord(words []string) map[string]int64 {
	out := map[string]int64{}
	for id, ok := range c.seen {
		if ok {
			out[words[id]] = c.n[id]
		}
	}
	return out
}

// grown is s extended with zero values to at least n elements (doubling).
func grown[T any](s []T, n int) []T {
	if n <= len(s) {
		return s
	}
	return append(s, make([]T, max(n, 2*len(s))-len(s))...)
}

// brandTerms are the words of the brands' own names, terms and domains, which are
// never emerging terms of anything.
func brandTerms(cfg *config.Config) map[string]bool {
	skip := map[string]bool{}
	for _, b := range cfg.Brands {
		// The brand's domains too: their labels ("initech", "example" of
		// initech.example) are words of every link to the brand's site.
		for _, t := range slices.Concat(b.AllTerms(), b.Domains) {
			for _, tok := range query.Tokenize(t) {
				skip[query.KoreanStem(tok.Text)] = true
			}
		}
	}
	return skip
}

// addTerms adds one hour's counts of a brand to dst, without stopwords and
// the brands' own words.
func addTerms(dst map[string]map[string]int64, th store.TermHour, skip map[string]bool) {
	if dst[th.Brand] == nil {
		dst[th.Brand] = map[string]int64{}
	}
	for _, tc := range th.Terms {
		if !skip[tc.Term] && !isStopword(tc.Term) {
			dst[th.Brand][tc.Term] += tc.Count
		}
	}
}

// termQuery is a term as a search query: a phrase is quoted.
func termQuery(t string) string {
	if strings.ContainsRune(t, ' ') {
		return `"` + t + `"`
	}
	return t
}

func rankTerms(cur, base map[string]int64) []Emerging {
	var n1, n2 float64
	for _, c := range cur {
		n1 += float64(c)
	}
	for _, c := range base {
		n2 += float64(c)
	}
	out := []Emerging{}
	for _, t := range sortedKeys(cur) {
		a, b := float64(cur[t]), float64(base[t])
		if a < minEmerging || (n2 > 0 && a/n1 <= b/n2) {
			continue
		}
		e := Emerging{Term: t, Count: cur[t], Baseline: base[t], G2: round(g2(a, b, n1, n2), 3)}
		if e.G2 < minG2 {
			continue
		}
		if n2 > 0 {
			e.Lift = round((a/n1)/((b+1)/n2), 3)
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(x, y Emerging) int {
		if c := cmp.Compare(y.G2, x.G2); c != 0 {
			return c
		}
		return cmp.Compare(y.Count, x.Count)
	})
	return out[:min(len(out), emergingCount)]
}

// g2 is Dunning's log-likelihood for a word seen a times in n1 words and b
// times in n2 words.
func g2(a, b, n1, n2 float64) float64 {
	if n1+n2 == 0 {
		return 0
	}
	e1 := n1 * (a + b) / (n1 + n2)
	e2 := n2 * (a + b) / (n1 + n2)
	var s float64
	if a > 0 && e1 > 0 {
		s += a * math.Log(a/e1)
	}
	if b > 0 && e2 > 0 {
		s += b * math.Log(b/e2)
	}
	return 2 * s
}
