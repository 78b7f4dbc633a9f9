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

// TermCount is how many mentions of one day and brand used a word.
type TermCount struct {
	Term  string
	Count int64
}

// TermDay is the word counts of one UTC day for one brand ("" = every
// mention once), sorted by term.
type TermDay struct {
	Day   time.Time // UTC midnight
	Brand string
	Terms []TermCount
}

// mentionTerms returns the distinct words of m's title and text as the
// search index sees them (NFKC, case folded, Korean particles stripped),
// without numbers and one-character words. Stopwords are kept: each costs
// one entry per day and brand, and readers filter them with their own lists.
func mentionTerms(m *Mention) []string {
	var out []string
	for _, tok := range query.Words(m.Title, m.Text) {
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

// dayKey encodes the UTC day of t (days from the Unix epoch) as 8 sortable bytes.
func dayKey(t time.Time) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], uint64(dayOf(t))^(1<<63))
	return k[:]
}

func dayOf(t time.Time) int64 {
	s := t.Unix()
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return d
}

func termKey(day []byte, brand string) []byte {
	return append(append(make([]byte, 0, 8+len(brand)), day...), brand...)
}

// countTerms adds m's words (mentionTerms) to counts for day (a dayKey)
// under the all-mentions brand "" and under each of brands. Commit counts
// them in, Prune counts them to take out.
func countTerms(counts map[string]map[string]int64, m *Mention, day []byte, brands []string) {
	terms := mentionTerms(m)
	for _, b := range append([]string{""}, brands...) {
		k := string(termKey(day, b))
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

// flushTerms merges the commit's term counts into the stored day+brand lists.
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

func decodeTerms(v []byte) ([]TermCount, error) {
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
		t := d.str()
		out = append(out, TermCount{Term: t, Count: d.varint()})
	}
	if d.err != nil {
		return nil, d.err
	}
	return out, nil
}
