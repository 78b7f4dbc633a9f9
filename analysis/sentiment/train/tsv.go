package train

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Example is one labelled text: Label 1 is positive, 0 negative.
type Example struct {
	Text  string
	Label int
}

// ReadTSV reads NSMC-style rows "id<TAB>document<TAB>label" (label 0 or 1),
// skipping a header row whose label column is not a number. Rows with an
// empty document are skipped; any other malformed row is an error naming
// its line.
func ReadTSV(r io.Reader) ([]Example, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	var out []Example
	line := 0
	for sc.Scan() {
		line++
		row := strings.TrimRight(sc.Text(), "\r")
		if row == "" {
			continue
		}
		cols := strings.Split(row, "\t")
		if len(cols) != 3 {
			return nil, fmt.Errorf("line %d: %d columns, want 3 (id, document, label)", line, len(cols))
		}
		switch cols[2] {
		case "0", "1":
		default:
			if line == 1 {
				continue // header
			}
			return nil, fmt.Errorf("line %d: label %q, want 0 or 1", line, cols[2])
		}
		if strings.TrimSpace(cols[1]) == "" {
			continue
		}
		out = append(out, Example{Text: cols[1], Label: int(cols[2][0] - '0')})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	if len(out) == 0 {
		return nil, errors.New("no examples")
	}
	return out, nil
}
