package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/earshot/earshot/analysis/sentiment"
)

func TestRunSentiment(t *testing.T) {
	a, err := sentiment.New(sentiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("great ", 40000) // 240 KB
	in := "I love it\n\n\xff\xfe\x00binary\r\n핵노잼\n" + long + "\nJoy is here\nlast line without newline"
	var out bytes.Buffer
	if err := runSentiment(context.Background(), strings.NewReader(in), &out, a, sentiment.Context{Terms: []string{"Joy"}}, 3); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	want := []string{"positive", "neutral", "neutral", "negative", "positive", "neutral", "neutral"}
	if len(lines) != len(want) {
		t.Fatalf("%d output lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i, l := range lines {
		var got sentimentLine
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
	a, err := sentiment.New(sentiment.Options{})
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
	if err := runSentiment(context.Background(), strings.NewReader(in.String()), &out, a, sentiment.Context{}, 4); err != nil {
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
