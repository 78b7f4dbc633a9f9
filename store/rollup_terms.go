package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/earshot/earshot/query"
)

// Term rollup limits: a mention contributes at most maxTermsPerMention
// distinct words of 2 to maxTermRunes characters.
const (
	maxTermsPerMention = 64
	maxTermRunes       = 40
)

// TermCount is how many mentions of one hour and brand used a word.
type TermCount struct {
	Term  string
	Count int64
	// ID numbers the distinct words of one TermHoursOf call 0, 1, 2, … in
	// the order met (0 elsewhere): equal within a call exactly when Term is.
	ID uint32
}

// TermHour is the word counts of one UTC hour for one brand ("" = every
// mention once), sorted by term. Words are counted per hour, like the
// cells, so that a reader sums them into the days of whatever time zone is
// configured (a zone change needs no rebuild); mentions whose date is
// estimated (PublishedEstimated) are counted in the hour they were seen.
type TermHour struct {
	Hour  time.Time // start of the UTC hour
	Brand string
	Terms []TermCount
}

// mentionTerms returns the distinct words of m's title and text as the
// search index sees them (NFKC, case folded, Korean particles stripped),
// without numbers, one-character words and the words of URLs written in
// the text (a link's path is not what people said). Stopwords are kept: each costs
// one entry per day and brand, and readers filter them with their own lists.
func mentionTerms(m *Mention) []string {
	var out []string
	for _, tok := range query.Words(query.WithoutURLs(m.Title), query.WithoutURLs(m.Text)) {
		w := query.KoreanStem(tok)
		n := utf8.RuneCountInString(w)
		if n < 2 || n > maxTermRunes || !hasLetter(w) || slices.Contains(out, w) {
			continue
		}
		if out == nil {
			out = make([]string, 0, 32)
		}
		out = append(out, w)
		if len(out) == maxTermsPerMention {
			return out
		}
	}
	return out
}

func hasLetter(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// termKey is the rollup_terms key of one hour (an hourKey) and brand.
func termKey(hour []byte, brand string) []byte {
	return append(append(make([]byte, 0, 8+len(brand)), hour...), brand...)
}

// countTerms adds m's words (mentionTerms) to counts for hour (an hourKey)
// under the all-mentions brand "" and under each of brands. Commit counts
// them in, Prune counts them to take out.
func countTerms(counts map[string]map[string]int64, m *Mention, hour []byte, brands []string) {
	terms := mentionTerms(m)
	for _, b := range append([]string{""}, brands...) {
		k := string(termKey(hour, b))
		tc := counts[k]
		if tc == nil {
			tc = map[string]int64{}
			counts[k] = tc
		}
		for _, t := range terms {
			tc[t]++
		}
	}
}

// flushTerms merges the commit's term counts into the stored hour+brand lists.
func (r *rollup) flushTerms() error {
	b := r.tx.Bucket(bucketTerms)
	for k, add := range r.terms {
		key := []byte(k)
		old, err := decodeTerms(b.Get(key))
		if err != nil {
			return fmt.Errorf("rollup terms: %w", err)
		}
		for _, tc := range old {
			add[tc.Term] += tc.Count
		}
		if err := b.Put(key, encodeTerms(add)); err != nil {
			return err
		}
	}
	return nil
}

func encodeTerms(m map[string]int64) []byte {
	terms := make([]string, 0, len(m))
	size := 0
	for t := range m {
		terms = append(terms, t)
		size += len(t) + 4
	}
	sort.Strings(terms)
	b := make([]byte, 0, size+4)
	b = binary.AppendUvarint(b, uint64(len(terms)))
	for _, t := range terms {
		b = appendString(b, t)
		b = binary.AppendVarint(b, m[t])
	}
	return b
}

func decodeTerms(v []byte) ([]TermCount, error) { return decodeTermsInterned(v, nil) }

// wordIDs numbers the words of one read: a word's one copy and its ID.
type wordIDs map[string]TermCount

// decodeTermsInterned is decodeTerms sharing each word's one copy and
// numbering it through words (nil: every word copied, IDs 0).
func decodeTermsInterned(v []byte, words wordIDs) ([]TermCount, error) {
	if len(v) == 0 {
		return nil, nil
	}
	d := factDecoder{b: v}
	n := d.uvarint()
	if n > uint64(len(v)) {
		return nil, errors.New("term list length out of range")
	}
	out := make([]TermCount, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		var tc TermCount
		if words != nil {
			b := d.raw()
			w, ok := words[string(b)]
			if !ok {
				w = TermCount{Term: string(b), ID: uint32(len(words))}
				words[w.Term] = w
			}
			tc = w
		} else {
			tc.Term = d.str()
		}
		tc.Count = d.varint()
		out = append(out, tc)
	}
	if d.err != nil {
		return nil, d.err
	}
	return out, nil
}
