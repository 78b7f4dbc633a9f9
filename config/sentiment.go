package config

import (
	"math"
	"strings"
)

// sentiment checks [[sentiment.override]] entries.
func (v *validator) sentiment(s *Sentiment, brands []Brand) {
	seen := map[string]string{} // folded term + scope -> path
	for i := range s.Overrides {
		o := &s.Overrides[i]
		op := indexKey("sentiment.override", i)
		o.Term = strings.TrimSpace(o.Term)
		if o.Term == "" {
			if !v.c.failed(op + ".term") {
				v.c.at(op, "an override needs term: the word or phrase to score")
			}
		} else if err := checkText(o.Term); err != nil {
			v.c.at(op+".term", "term %v", err)
		}
		switch {
		case v.c.failed(op + ".score"):
		case !v.c.ix.has(op + ".score"):
			v.c.at(op, "an override needs score: from -4 (most negative) to 4 (most positive), 0 for neutral")
		case math.IsNaN(o.Score) || o.Score < -4 || o.Score > 4:
			v.c.at(op+".score", "score %g must be from -4 to 4 (VADER's scale)", o.Score)
		}
		for j, b := range o.Brands {
			found := false
			for _, br := range brands {
				if fold(br.Name) == fold(b) {
					o.Brands[j], found = br.Name, true
				}
			}
			if !found {
				v.c.at(indexKey(op+".brands", j), "unknown brand %q", truncate(b, 40))
			}
		}
		key := fold(o.Term) + "\x00" + strings.Join(o.Brands, "\x00")
		if first, dup := seen[key]; dup && o.Term != "" {
			v.c.at(op+".term", "override for %q repeats %s", truncate(o.Term, 40), first)
		}
		seen[key] = op
	}
}
