package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

// TestReportCommandFromStore runs `earshot report` with no daemon: it
// opens the store and prints the report of the ISO week.
func TestReportCommandFromStore(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "data"), store.Options{Logger: zerolog.Nop(), NoIndexer: true})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	ms := []store.Mention{
		{ID: "hackernews:1", Network: "hackernews", URL: "https://news.ycombinator.com/item?id=1", Kind: store.KindMention,
			Published: day, Brands: []string{"Acme"}, SentimentLabel: "positive", Sentiment: 0.6, EngagementTotal: 4, Text: "acme battery"},
		{ID: "hackernews:2", Network: "hackernews", URL: "https://news.ycombinator.com/item?id=2", Kind: store.KindMention,
			Published: day, Brands: []string{"Globex"}, SentimentLabel: "negative", Sentiment: -0.6, Text: "globex down"},
	}
	if _, err := st.Commit("hn", ms, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "earshot.toml")
	body := "[earshot]\ndata_dir = " + `"` + filepath.Join(dir, "data") + `"` + "\nlisten = \"127.0.0.1:1\"\n" +
		"[[brand]]\nname = \"Acme\"\nown = true\n[[brand]]\nname = \"Globex\"\n"
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := cmdReport(context.Background(), []string{"-config", cfg, "-week", "2026-W47", "-format", "markdown"}, &out, &errb); err != nil {
		t.Fatalf("report: %v\n%s", err, errb.String())
	}
	for _, want := range []string{"# Competitive report: Acme vs Globex", "16 Nov – 22 Nov 2026", "| all | Acme | 1 | 0 | prev. partly collected | 50.0 |"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := cmdReport(context.Background(), []string{"-config", cfg, "-week", "2026-W47", "-format", "csv"}, &out, &errb); err != nil {
		t.Fatalf("csv report: %v\n%s", err, errb.String())
	}
	if !strings.HasPrefix(out.String(), "\ufeffsection,row,column,value,estimated\n") || !strings.Contains(out.String(), "\nmeta,,last_day,2026-11-22,\n") {
		t.Errorf("csv lacks the BOM, header or last day:\n%.300s", out.String())
	}
	if err := cmdReport(context.Background(), []string{"-config", cfg, "-format", "pdf"}, &out, &errb); err == nil {
		t.Error("-format pdf accepted")
	}
	if err := cmdReport(context.Background(), []string{"-config", cfg, "-week", "2026-W47", "-end", "2026-11-22"}, &out, &errb); err == nil {
		t.Error("-week with -end accepted")
	}
	out.Reset()
	custom := []string{"-config", cfg, "-period", "custom", "-start", "2026-11-17", "-end", "2026-11-18", "-compare-from", "2026-11-01", "-format", "json"}
	if err := cmdReport(context.Background(), custom, &out, &errb); err != nil {
		t.Fatalf("custom report: %v\n%s", err, errb.String())
	}
	for _, want := range []string{`"start": "2026-11-17T00:00:00Z"`, `"end": "2026-11-19T00:00:00Z"`, `"prev_start": "2026-11-01T00:00:00Z"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("custom report lacks %s:\n%.600s", want, out.String())
		}
	}
	for _, bad := range [][]string{{"-period", "fortnight"}, {"-start", "2026-11-17"}, {"-period", "custom"},
		{"-period", "custom", "-start", "17/11/2026"}, {"-compare-from", "yesterday"}} {
		if err := cmdReport(context.Background(), append([]string{"-config", cfg}, bad...), &out, &errb); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
