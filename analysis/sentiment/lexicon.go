package sentiment

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

//go:embed data/vader_lexicon.txt
var vaderLexicon []byte

//go:embed data/emoji_utf8_lexicon.txt
var emojiLexicon []byte

// parseLexicon reads VADER's "token<TAB>mean<TAB>sd<TAB>ratings" rows into
// a map from the lower-cased token to its mean valence.
func parseLexicon(b []byte) (map[string]float64, error) {
	lex := make(map[string]float64, 7600)
	sc := bufio.NewScanner(bytes.NewReader(b))
	line := 0
	for sc.Scan() {
		line++
		row := sc.Text()
		if strings.TrimSpace(row) == "" {
			continue
		}
		cols := strings.SplitN(row, "\t", 3)
		if len(cols) < 2 {
			return nil, fmt.Errorf("vader lexicon line %d: want token<TAB>valence", line)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(cols[1]), 64)
		if err != nil {
			return nil, fmt.Errorf("vader lexicon line %d: %w", line, err)
		}
		lex[strings.ToLower(strings.TrimSpace(cols[0]))] = v
	}
	return lex, sc.Err()
}

// parseEmoji reads "emoji<TAB>description" rows. It returns the map and the
// longest key in runes (keys such as ❤️ are two code points).
func parseEmoji(b []byte) (map[string]string, int, error) {
	m := make(map[string]string, 3600)
	longest := 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	line := 0
	for sc.Scan() {
		line++
		row := strings.TrimRight(sc.Text(), "\r")
		if row == "" {
			continue
		}
		k, desc, ok := strings.Cut(row, "\t")
		if !ok || k == "" {
			return nil, 0, fmt.Errorf("emoji lexicon line %d: want emoji<TAB>description", line)
		}
		m[k] = desc
		longest = max(longest, utf8.RuneCountInString(k))
	}
	return m, longest, sc.Err()
}
