package sentiment

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestRunSentiment(t *testing.T) {
	a, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("great ", 40000) // 240 KB
	in := "I love it\n\n\xff\xfe\x00binary\r\n핵노잼\n" + long + "\nJoy is here\nlast line without newline"
	var out bytes.Buffer
	if err := ScoreLines(context.Background(), strings.NewReader(in), &out, a, LineOptions{Context: Context{Terms: []string{"Joy"}}, Workers: 3}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	want := []string{"positive", "neutral", "neutral", "negative", "positive", "neutral", "neutral"}
	if len(lines) != len(want) {
		t.Fatalf("%d output lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i, l := range lines {
		var got Line
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, l)
		}
		if got.Label != want[i] {
			t.Errorf("line %d: %s, want label %s", i+1, l, want[i])
		}
	}
	if lines[1] != `{"lang":"","score":0,"label":"neutral"}` {
		t.Errorf("empty line gave %s", lines[1])
	}
}

func TestRunSentimentManyLinesInOrder(t *testing.T) {
	a, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	var in strings.Builder
	for i := 0; i < 5000; i++ {
		if i%2 == 0 {
			in.WriteString("this is wonderful\n")
		} else {
			in.WriteString("this is horrible\n")
		}
	}
	var out bytes.Buffer
	if err := ScoreLines(context.Background(), strings.NewReader(in.String()), &out, a, LineOptions{Workers: 4}); err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		want := `"label":"positive"`
		if i%2 == 1 {
			want = `"label":"negative"`
		}
		if !strings.Contains(l, want) {
			t.Fatalf("line %d out of order: %s", i+1, l)
		}
	}
}

// With brands, each line carries a label per brand.
func TestScoreLinesPerBrand(t *testing.T) {
	a := newTestAnalyzer(t)
	var out bytes.Buffer
	in := "switched from Acme to Globex, so much better\nAcme announces the X3\n"
	o := LineOptions{Brands: []BrandTerms{{Name: "Acme", Terms: []string{"Acme"}}, {Name: "Globex", Terms: []string{"Globex"}}}, Workers: 2}
	if err := ScoreLines(context.Background(), strings.NewReader(in), &out, a, o); err != nil {
		t.Fatal(err)
	}
	var first, second Line
	lines := strings.Split(out.String(), "\n")
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatal(err)
	}
	if len(first.Brands) != 2 || first.Brands[0].Label != Negative || first.Brands[1].Label != Positive || first.Brands[0].Rule != "comparison" {
		t.Errorf("switch line: %s", lines[0])
	}
	if len(second.Brands) != 2 || second.Brands[0].Label != second.Label || second.Brands[1].Rule != "whole" {
		t.Errorf("one-brand line: %s", lines[1])
	}
}
