package match

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/query"
)

// Matcher finds brands and topics in posts. It is immutable after New and
// safe for concurrent use.
type Matcher struct {
	brands []string   // names, config order
	pats   []pattern  // by automaton pattern id
	ac     *automaton // every brand term and exclude phrase

	authors  map[string]map[string]int // network → normalised handle → first brand
	mentions map[string][]int          // normalised handle (any network) → brands

	topics []topic
}

// pattern is one distinct normalised term or exclude phrase.
type pattern struct {
	size   int  // bytes in the normalised, space-joined form
	hangul bool // ends in a Hangul syllable: a particle chain may follow
	owners []owner
}

type owner struct {
	brand   int
	exclude bool
}

type topic struct {
	name string
	q    *query.Compiled
}

// fieldGap separates title and text word positions so that phrases and
// NEAR never span the two.
const fieldGap = query.MaxNear + 1

// New builds a matcher. Brands are matched by Brand.AllTerms and
// Brand.Handles, vetoed per occurrence by Brand.Exclude; topics by their
// Parsed query, or Query parsed here when Parsed is nil.
func New(brands []config.Brand, topics []config.Topic) (*Matcher, error) {
	m := &Matcher{
		authors:  map[string]map[string]int{},
		mentions: map[string][]int{},
	}
	var texts []string
	ids := map[string]int{}
	add := func(raw string, brand int, exclude bool) error {
		joined, _ := query.TokenizeJoined(raw)
		if joined == "" {
			return fmt.Errorf("brand %q: %q has no letters or digits", brands[brand].Name, raw)
		}
		id, ok := ids[joined]
		if !ok {
			id = len(m.pats)
			ids[joined] = id
			r, _ := utf8.DecodeLastRuneInString(joined)
			m.pats = append(m.pats, pattern{size: len(joined), hangul: query.IsHangulSyllable(r)})
			texts = append(texts, joined)
		}
		o := owner{brand: brand, exclude: exclude}
		for _, x := range m.pats[id].owners {
			if x == o {
				return nil
			}
		}
		m.pats[id].owners = append(m.pats[id].owners, o)
		return nil
	}
	for i, b := range brands {
		if strings.TrimSpace(b.Name) == "" {
			return nil, fmt.Errorf("brand %d: empty name", i+1)
		}
		m.brands = append(m.brands, b.Name)
		for _, t := range b.AllTerms() {
			if err := add(t, i, false); err != nil {
				return nil, err
			}
		}
		for _, x := range b.Exclude {
			if err := add(x, i, true); err != nil {
				return nil, err
			}
		}
		for network, hs := range b.Handles {
			for _, h := range hs {
				nh := normHandle(h)
				if nh == "" {
					return nil, fmt.Errorf("brand %q: empty handle on %s", b.Name, network)
				}
				if m.authors[network] == nil {
					m.authors[network] = map[string]int{}
				}
				if _, taken := m.authors[network][nh]; !taken {
					m.authors[network][nh] = i
				}
				if l := m.mentions[nh]; len(l) == 0 || l[len(l)-1] != i {
					m.mentions[nh] = append(l, i)
				}
			}
		}
	}
	m.ac = newAutomaton(texts)
	for _, t := range topics {
		n := t.Parsed
		if n == nil {
			var err error
			if n, err = query.Parse(t.Query); err != nil {
				return nil, fmt.Errorf("topic %q: %w", t.Name, err)
			}
		}
		c, err := query.Compile(n)
		if err != nil {
			return nil, fmt.Errorf("topic %q: %w", t.Name, err)
		}
		m.topics = append(m.topics, topic{name: t.Name, q: c})
	}
	if len(brands) == 0 && len(topics) == 0 {
		return nil, errors.New("nothing to match: no brands and no topics")
	}
	return m, nil
}

// normHandle is the comparable form of a handle: trimmed, without the
// leading @, normalised.
func normHandle(h string) string {
	return query.Normalize(strings.TrimPrefix(strings.TrimSpace(h), "@"))
}

// hit is one accepted occurrence of a pattern: [start,end) in the scanned
// text, end extended over a particle chain.
type hit struct {
	pat        int32
	start, end int
}

// Match reports the brands and topics in in.
func (m *Matcher) Match(in Input) Result {
	var r Result
	if byHandle := m.authors[in.Network]; byHandle != nil && in.Author != "" {
		if b, ok := byHandle[normHandle(in.Author)]; ok {
			r.OwnedBy = m.brands[b]
		}
	}
	// '\n' separates the fields in text: no pattern contains it.
	text, toks := query.TokenizeFields(in.Title, in.Text, fieldGap)

	found := make([]bool, len(m.brands))
	if len(m.pats) > 0 {
		m.brandHits(text, found)
	}
	m.handleMentions(in.Title, found)
	m.handleMentions(in.Text, found)
	for i, ok := range found {
		if ok {
			r.Brands = append(r.Brands, m.brands[i])
		}
	}

	if len(m.topics) > 0 {
		for _, t := range m.topics {
			if t.q.Match(toks) {
				r.Topics = append(r.Topics, t.name)
			}
		}
	}
	return r
}

func isSep(c byte) bool { return c == ' ' || c == '\n' }

// brandHits scans text (space-joined normalised words) and marks brands
// that have an occurrence of a term not covered by one of their exclude
// phrases.
func (m *Matcher) brandHits(text string, found []bool) {
	var hits []hit
	excl := false
	m.ac.scan(text, func(end int, id int32) {
		p := &m.pats[id]
		start := end - p.size
		if start > 0 && !isSep(text[start-1]) {
			return // not at the start of a word
		}
		if end < len(text) && !isSep(text[end]) {
			if !p.hangul {
				return // inside a word
			}
			wordEnd := end
			for wordEnd < len(text) && !isSep(text[wordEnd]) {
				wordEnd++
			}
			ws := start + strings.LastIndexAny(text[start:end], " \n") + 1 // the term's last word
			if !query.IsEndingSplit(text[ws:wordEnd], end-ws) {
				return // 삼성동, 토스트, 고양이 for 고양
			}
			end = wordEnd
		}
		hits = append(hits, hit{pat: id, start: start, end: end})
		for _, o := range p.owners {
			excl = excl || o.exclude
		}
	})
	for _, h := range hits {
		for _, o := range m.pats[h.pat].owners {
			if o.exclude || found[o.brand] {
				continue
			}
			if !excl || !covered(m, hits, h, o.brand) {
				found[o.brand] = true
			}
		}
	}
}

// covered reports whether term hit h is inside an occurrence of one of
// brand's exclude phrases.
func covered(m *Matcher, hits []hit, h hit, brand int) bool {
	for _, x := range hits {
		if x.start > h.start || x.end < h.end {
			continue
		}
		for _, o := range m.pats[x.pat].owners {
			if o.exclude && o.brand == brand {
				return true
			}
		}
	}
	return false
}
