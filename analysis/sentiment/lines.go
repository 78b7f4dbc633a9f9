package sentiment

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sync"
)

// maxLineBytes is the part of one input line that ScoreLines scores; the
// rest of a longer line is read and dropped.
const maxLineBytes = 1 << 20

// LineOptions configure ScoreLines.
type LineOptions struct {
	Context Context      // brand terms to mask and brands whose overrides apply
	Brands  []BrandTerms // when set, each line also gets a label per brand
	Workers int          // scoring goroutines (at least 1)
}

// Line is ScoreLines' output for one input line.
type Line struct {
	Lang       string        `json:"lang"`
	Score      float64       `json:"score"`
	Label      string        `json:"label"`
	Confidence float64       `json:"confidence,omitempty"`
	Compound   float64       `json:"compound,omitempty"`
	ProbPos    float64       `json:"prob_positive,omitempty"`
	Brands     []BrandResult `json:"brands,omitempty"`
}

// ScoreLines scores one text per line of in and writes one JSON object
// (Line) per line to out, in input order: batches of lines are scored by
// o.Workers goroutines. A bad line (empty, binary, longer than 1 MiB)
// never stops it.
func ScoreLines(ctx context.Context, in io.Reader, out io.Writer, a *Analyzer, o LineOptions) error {
	workers := max(1, o.Workers)
	r := bufio.NewReaderSize(in, 256<<10)
	w := bufio.NewWriterSize(out, 256<<10)
	const batch = 2048
	lines := make([]string, 0, batch)
	res := make([]Line, batch)
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
			wg.Go(func() {
				for i := lo; i < hi; i++ {
					res[i] = a.line(lines[i], o)
				}
			})
		}
		wg.Wait()
		for i := range lines {
			b, err := json.Marshal(res[i])
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
			return fmt.Errorf("read input: %w", readErr)
		}
	}
}

func (a *Analyzer) line(text string, o LineOptions) Line {
	var r Result
	var per []BrandResult
	if len(o.Brands) > 0 {
		r, per = a.AnalyzeBrands(text, o.Context, o.Brands)
		for i := range per {
			per[i].Score = round4(per[i].Score)
		}
	} else {
		r = a.Analyze(text, o.Context)
	}
	return Line{Lang: r.Lang, Score: round4(r.Score), Label: r.Label, Confidence: round4(r.Confidence),
		Compound: round4(r.Compound), ProbPos: round4(r.ProbPositive), Brands: per}
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
