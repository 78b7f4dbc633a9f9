// Command endings derives candidate Korean noun endings (particles and
// copula forms) from the shared Korean corpora and prints them with their
// evidence, for review into query/korean_endings.tsv. See docs/korean.md.
//
//	go run ./query/internal/endings [-data ../shared/data] [-nouns] [-check]
//
// A word seen on its own at least -bare times is a noun candidate (most such
// words in review text are nouns: verbs and adjectives never stand bare). For
// every other word w = X + s with X a noun candidate and s one to four
// syllables, s is counted once per distinct X, separately for X ending in a
// consonant (받침) and in a vowel: a particle or copula ending follows many
// different nouns, and its allomorph (은/는, 이/가, 이지만/지만) shows as a
// skew between the two columns. With -nouns it prints instead the nouns the
// stemmer must not cut (고양이, 카메라): words that end like an ending of the
// inventory but themselves take at least -endings distinct particles that
// a shorter stem does not explain.
// With -check it exits non-zero when an inventory ending has less evidence
// than the inventory records (the corpus or the counting changed).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/earshot/earshot/query"
)

// sources are the corpora, relative to -data, and the column holding text.
var sources = []struct {
	path   string
	col    int
	header bool
}{
	{"sentiment/ko/train.tsv", 1, true},       // NSMC
	{"sentiment/train/ko/kote.tsv", 1, false}, // KOTE
	{"sentiment/train/ko/kobest_sentineg.tsv", 1, false},
}

func main() {
	data := flag.String("data", "../shared/data", "shared data directory (relative to the repository root)")
	bare := flag.Int("bare", 5, "occurrences on its own that make a word a noun candidate")
	minStems := flag.Int("min", 30, "distinct noun candidates an ending must follow to be printed")
	nouns := flag.Bool("nouns", false, "print the nouns that look like stem + ending instead")
	endings := flag.Int("endings", 4, "with -nouns: distinct inventory particles a noun must take")
	check := flag.Bool("check", false, "compare the inventory's recorded evidence with the corpus")
	flag.Parse()
	freq, err := countWords(*data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "endings:", err)
		os.Exit(1)
	}
	switch {
	case *check:
		if !checkInventory(os.Stdout, freq, *bare) {
			os.Exit(1)
		}
	case *nouns:
		printNouns(os.Stdout, freq, *bare, *endings)
	default:
		printEndings(os.Stdout, freq, *bare, *minStems)
	}
}

// countWords returns how often each all-Hangul word occurs in the corpora.
func countWords(dir string) (map[string]int, error) {
	freq := map[string]int{}
	for _, s := range sources {
		f, err := os.Open(filepath.Join(dir, s.path))
		if err != nil {
			return nil, fmt.Errorf("open corpus: %w", err)
		}
		err = scan(f, s.col, s.header, func(text string) {
			for _, w := range query.Words(text) {
				if allSyllables(w) {
					freq[w]++
				}
			}
		})
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", s.path, err)
		}
	}
	return freq, nil
}

func scan(r io.Reader, col int, header bool, fn func(string)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		if first && header {
			continue
		}
		if f := strings.Split(sc.Text(), "\t"); col < len(f) {
			fn(f[col])
		}
	}
	return sc.Err()
}

func allSyllables(w string) bool {
	for _, r := range w {
		if !query.IsHangulSyllable(r) {
			return false
		}
	}
	return w != ""
}

// evidence is what the corpus says about one ending.
type evidence struct {
	afterC, afterV map[string]bool // distinct noun candidates before it
	tokens         int
}

// collect counts, for each suffix of 1..4 syllables, the distinct noun
// candidates it follows.
func collect(freq map[string]int, bare int) map[string]*evidence {
	ev := map[string]*evidence{}
	for w, n := range freq {
		rs := []rune(w)
		for cut := 1; cut < len(rs); cut++ {
			if len(rs)-cut > 4 {
				continue
			}
			stem := string(rs[:cut])
			if freq[stem] < bare {
				continue
			}
			s := string(rs[cut:])
			e := ev[s]
			if e == nil {
				e = &evidence{afterC: map[string]bool{}, afterV: map[string]bool{}}
				ev[s] = e
			}
			if query.HasFinalConsonant(rs[cut-1]) {
				e.afterC[stem] = true
			} else {
				e.afterV[stem] = true
			}
			e.tokens += n
		}
	}
	return ev
}

func printEndings(w io.Writer, freq map[string]int, bare, minStems int) {
	ev := collect(freq, bare)
	type row struct {
		s    string
		c, v int
		tok  int
	}
	var rows []row
	for s, e := range ev {
		if len(e.afterC)+len(e.afterV) >= minStems {
			rows = append(rows, row{s, len(e.afterC), len(e.afterV), e.tokens})
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i].c+rows[i].v, rows[j].c+rows[j].v
		if a != b {
			return a > b
		}
		return rows[i].s < rows[j].s
	})
	fmt.Fprintln(w, "ending\tafter_consonant\tafter_vowel\ttokens\tin_inventory")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%v\n", r.s, r.c, r.v, r.tok, query.IsEnding(r.s))
	}
}

// printNouns lists words that the grammar could cut inside (고양이 at 고양,
// 카메라도 at 카메) but that take many distinct particles themselves, which
// no shorter noun candidate explains: nouns such as 고양이 and 카메라.
func printNouns(w io.Writer, freq map[string]int, bare, minEndings int) {
	type row struct {
		word   string
		n, end int
	}
	var rows []row
	for word, n := range freq {
		if n < bare {
			continue
		}
		seen := map[string]bool{}
		matters := cutInside(word, len(word))
		for _, e := range query.Inventory() {
			w := word + e.Text
			if e.Kind == "copula" || freq[w] == 0 || !query.SplitByGrammar(w, len(word)) || explained(freq, w, len(word), bare) {
				continue
			}
			seen[e.Text] = true
			matters = matters || cutInside(w, len(word))
		}
		if matters && len(seen) >= minEndings {
			rows = append(rows, row{word, n, len(seen)})
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].end != rows[j].end {
			return rows[i].end > rows[j].end
		}
		return rows[i].word < rows[j].word
	})
	fmt.Fprintln(w, "noun\tbare\tdistinct_particles")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%d\t%d\n", r.word, r.n, r.end)
	}
}

// explained reports whether w also reads as a shorter noun candidate plus
// endings, one seen bare at least bare times and at least half as often as
// w[:end]: 배우들은 is 배우 + 들은, so it is no evidence that 배우들 is a
// noun; 카메라도 is not explained by 카메, which never stands alone, nor
// 사랑은 by the rare bare 사.
func explained(freq map[string]int, w string, end, bare int) bool {
	for cut := 3; cut < end; cut += 3 {
		if n := freq[w[:cut]]; n >= bare && 2*n >= freq[w[:end]] && query.SplitByGrammar(w, cut) {
			return true
		}
	}
	return false
}

// cutInside reports whether the grammar alone would cut w before byte end.
func cutInside(w string, end int) bool {
	for cut := 3; cut < end; cut += 3 {
		if query.SplitByGrammar(w, cut) {
			return true
		}
	}
	return false
}

// checkInventory reports inventory endings whose evidence fell below what
// the inventory records.
func checkInventory(w io.Writer, freq map[string]int, bare int) bool {
	ev := collect(freq, bare)
	ok := true
	for _, e := range query.Inventory() {
		got := ev[e.Text]
		c, v := 0, 0
		if got != nil {
			c, v = len(got.afterC), len(got.afterV)
		}
		if c < e.AfterC || v < e.AfterV {
			fmt.Fprintf(w, "%s: corpus has %d/%d, inventory records %d/%d\n", e.Text, c, v, e.AfterC, e.AfterV)
			ok = false
		}
	}
	return ok
}
