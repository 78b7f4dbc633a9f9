package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/earshot/earshot/analysis/sentiment"
)

// maxLineBytes is the part of one input line that is scored; the rest of a
// longer line is read and dropped.
const maxLineBytes = 1 << 20

// cmdSentiment scores one text per line of stdin, writing one JSON object
// per line in the same order.
func cmdSentiment(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sentiment", stderr)
	terms := fs.String("brand-terms", "", "comma-separated brand terms to mask before scoring (\"Joy,Sick Games\")")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "scoring goroutines")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := sentiment.New(sentiment.Options{})
	if err != nil {
		return err
	}
	var c sentiment.Context
	for _, t := range strings.Split(*terms, ",") {
		if t = strings.TrimSpace(t); t != "" {
			c.Terms = append(c.Terms, t)
		}
	}
	return runSentiment(ctx, os.Stdin, stdout, a, c, *workers)
}

type sentimentLine struct {
	Lang     string  `json:"lang"`
	Score    float64 `json:"score"`
	Label    string  `json:"label"`
	Compound float64 `json:"compound,omitempty"`
	ProbPos  float64 `json:"prob_positive,omitempty"`
}

// runSentiment is cmdSentiment's loop: batches of lines are scored by
// workers goroutines and written in input order. A bad line (empty,
// binary, longer than maxLineBytes) never stops it.
func runSentiment(ctx context.Context, in io.Reader, out io.Writer, a *sentiment.Analyzer, c sentiment.Context, workers int) error {
	workers = max(1, workers)
	r := bufio.NewReaderSize(in, 256<<10)
	w := bufio.NewWriterSize(out, 256<<10)
	const batch = 2048
	lines := make([]string, 0, batch)
	res := make([]sentiment.Result, batch)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		lines = lines[:0]
		var readErr error
		for len(lines) < batch {
			line, err := readLine(r)
			if err != nil && (err != io.EOF || line == nil) {
				readErr = err
				break
			}
			lines = append(lines, string(line))
			if err == io.EOF {
				readErr = err
				break
			}
		}
		var wg sync.WaitGroup
		per := (len(lines) + workers - 1) / workers
		for lo := 0; lo < len(lines); lo += per {
			hi := min(lo+per, len(lines))
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := lo; i < hi; i++ {
					res[i] = a.Analyze(lines[i], c)
				}
			}()
		}
		wg.Wait()
		for i := range lines {
			b, err := json.Marshal(sentimentLine{
				Lang: res[i].Lang, Score: round4(res[i].Score), Label: res[i].Label,
				Compound: round4(res[i].Compound), ProbPos: round4(res[i].ProbPositive),
			})
			if err != nil {
				return err
			}
			w.Write(b)
			w.WriteByte('\n')
		}
		if readErr == io.EOF {
			return w.Flush()
		}
		if readErr != nil {
			w.Flush()
			return fmt.Errorf("read stdin: %w", readErr)
		}
	}
}

// readLine returns the next line without its "\n" or "\r\n", keeping at
// most maxLineBytes of it. At the end of input it returns io.EOF with the
// last unterminated line, or nil if there is none.
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if room := maxLineBytes - len(line); room > 0 {
			line = append(line, chunk[:min(len(chunk), room)]...)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			if len(line) == 0 && len(chunk) == 0 {
				return nil, io.EOF
			}
			return trimEOL(line), io.EOF
		case err != nil:
			return nil, err
		}
		return trimEOL(line), nil
	}
}

func trimEOL(b []byte) []byte {
	b = append([]byte{}, b...) // ReadSlice's buffer is reused
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }
