package main

import (
	"context"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/earshot/earshot/analysis/sentiment"
)

// cmdSentiment scores one text per line of stdin, writing one JSON object
// per line in the same order (sentiment.ScoreLines); -brand adds a label
// per brand.
func cmdSentiment(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sentiment", stderr)
	terms := fs.String("brand-terms", "", "comma-separated brand terms to mask before scoring (\"Joy,Sick Games\")")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "scoring goroutines")
	var o sentiment.LineOptions
	fs.Func("brand", "a brand to label each line for, repeatable: `name[=term,term…]` (\"Acme\", \"Acme=Acme,acmeair\")", func(v string) error {
		name, ts, _ := strings.Cut(v, "=")
		b := sentiment.BrandTerms{Name: strings.TrimSpace(name), Terms: splitComma(ts)}
		if len(b.Terms) == 0 {
			b.Terms = []string{b.Name}
		}
		o.Brands = append(o.Brands, b)
		return nil
	})
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := sentiment.New(sentiment.Options{})
	if err != nil {
		return err
	}
	o.Context.Terms, o.Workers = splitComma(*terms), *workers
	return sentiment.ScoreLines(ctx, os.Stdin, stdout, a, o)
}

func splitComma(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}
