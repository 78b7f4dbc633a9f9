package query

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// Thresholds for the labelled sample (docs/korean.md has the figures).
const (
	minStemPrecision = 0.98
	minStemRecall    = 0.92
)

// TestKoreanStemSample measures KoreanStem on testdata's labelled noun +
// ending tokens from the shared corpora. A row labelled with a noun is a
// positive: the stemmer must cut exactly down to that noun. A row labelled
// "-" must be left whole. Precision is correct cuts over all cuts; recall
// is correct cuts over positives.
func TestKoreanStemSample(t *testing.T) {
	f, err := os.Open("testdata/korean_endings_sample.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows, positives, cuts, correct int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || strings.HasPrefix(line, "token\t") {
			continue
		}
		fs := strings.Split(line, "\t")
		if len(fs) != 3 || fs[2] == "" {
			t.Fatalf("bad sample row %q", line)
		}
		tok, want := fs[0], fs[1]
		rows++
		got := KoreanStem(tok)
		if want != "-" {
			positives++
		}
		if got != tok {
			cuts++
		}
		switch {
		case want == "-" && got != tok:
			t.Logf("over-cut: %s → %s (%s)", tok, got, fs[2])
		case want != "-" && got == want:
			correct++
		case want != "-":
			t.Logf("missed: %s → %s, want %s (%s)", tok, got, want, fs[2])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if rows < 500 {
		t.Fatalf("sample has %d rows, want at least 500", rows)
	}
	precision := float64(correct) / float64(max(cuts, 1))
	recall := float64(correct) / float64(max(positives, 1))
	t.Logf("%d rows, %d positives, %d cuts, %d correct: precision %.3f, recall %.3f", rows, positives, cuts, correct, precision, recall)
	if precision < minStemPrecision || recall < minStemRecall {
		t.Errorf("precision %.3f (want ≥ %.2f), recall %.3f (want ≥ %.2f)", precision, minStemPrecision, recall, minStemRecall)
	}
}

func TestKoreanStemForms(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		// particles and chains, after consonant- and vowel-final nouns
		{"삼성은", "삼성"}, {"토스는", "토스"}, {"삼성에서는", "삼성"}, {"토스랑", "토스"}, {"삼성이랑은", "삼성"},
		{"삼성으로", "삼성"}, {"토스로", "토스"}, {"서울로", "서울"}, {"배우들은", "배우"},
		// copula endings, with 이 after a consonant and without after a vowel
		{"삼성입니다", "삼성"}, {"삼성이니까", "삼성"}, {"삼성이지만", "삼성"}, {"삼성인가", "삼성"},
		{"삼성이었는데", "삼성"}, {"토스지만", "토스"}, {"토스라니", "토스"}, {"토스였는데", "토스"},
		// queries with a particle
		{"고객센터가", "고객센터"}, {"배터리도", "배터리"},
		// must not cut
		{"삼성동", "삼성동"}, {"삼성역", "삼성역"}, {"토스트", "토스트"}, {"라인업", "라인업"},
		{"애플리케이션", "애플리케이션"}, {"고양이", "고양이"}, {"카메라도", "카메라"}, {"고양이가", "고양이"},
		{"정도", "정도"}, {"바다", "바다"}, {"완성도", "완성도"},
		// wrong sound: 는 needs a vowel before it, 은 a consonant
		{"삼성는", "삼성는"}, {"토스은", "토스은"},
		// not Hangul, empty
		{"acme", "acme"}, {"acme는", "acme는"}, {"", ""},
	} {
		if got := KoreanStem(tt.in); got != tt.want {
			t.Errorf("KoreanStem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// 지만 needs a vowel before it: 삼성지만 is not 삼성 + 지만.
	if IsEndingSplit("삼성지만", len("삼성")) {
		t.Error("IsEndingSplit(삼성지만, 삼성) = true")
	}
}

// TestKoreanInventory checks the inventory file's own invariants: every
// ending is unique and the evidence recorded at review supports the sound
// condition it was given.
func TestKoreanInventory(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range Inventory() {
		if seen[e.Text] {
			t.Errorf("ending %q listed twice", e.Text)
		}
		seen[e.Text] = true
		var n int
		switch e.After {
		case "C", "CL":
			n = e.AfterC
		case "V", "VL":
			n = e.AfterV
		default:
			n = e.AfterC + e.AfterV
		}
		if n < 20 {
			t.Errorf("ending %q (after %s) seen after %d nouns of that sound, want ≥ 20", e.Text, e.After, n)
		}
	}
	if len(seen) < 60 {
		t.Errorf("inventory has %d endings", len(seen))
	}
}

func FuzzKoreanStem(f *testing.F) {
	for _, s := range []string{"삼성에서는", "토스라니", "고양이가", "카메라도", "삼성동", "acme는", "이이이이", "은는", "가"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := KoreanStem(s)
		if !strings.HasPrefix(s, got) {
			t.Fatalf("KoreanStem(%q) = %q, not a prefix", s, got)
		}
		if s != "" && got == "" {
			t.Fatalf("KoreanStem(%q) is empty", s)
		}
		if got != s && !utf8.ValidString(got) {
			t.Fatalf("KoreanStem(%q) = %q cuts inside a character", s, got)
		}
		// Not idempotent by design: 라라도도 → 라라도 (+ 도) → 라 (+ 라도).
		// A query word reduced once is a stem the index holds for it.
		stems := KoreanStems(s)
		if got != s && (len(stems) == 0 || stems[0] != got) {
			t.Fatalf("KoreanStem(%q) = %q is not the shortest of KoreanStems %q", s, got, stems)
		}
		for _, st := range stems {
			if !IsEndingSplit(s, len(st)) {
				t.Fatalf("KoreanStems(%q) holds %q but IsEndingSplit disagrees", s, st)
			}
		}
	})
}
