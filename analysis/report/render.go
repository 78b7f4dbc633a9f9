package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Formats Render writes.
var Formats = []string{"text", "markdown", "csv", "json", "html"}

// Render writes r in format: text, markdown, csv, json or html. Output is a
// pure function of r; text from mentions is escaped for each format
// (control characters dropped, markdown and HTML escaped, CSV cells that a
// spreadsheet would run as a formula quoted).
func Render(w io.Writer, r *Report, format string) error {
	bw := bufio.NewWriter(w)
	var err error
	switch format {
	case "json":
		enc := json.NewEncoder(bw)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	case "text":
		err = renderText(bw, r)
	case "markdown", "md":
		err = renderMarkdown(bw, r)
	case "csv":
		err = renderCSV(bw, r)
	case "html":
		err = renderHTML(bw, r, HTMLOptions{})
	default:
		return fmt.Errorf("report: unknown format %q: want one of %s", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return fmt.Errorf("report: render %s: %w", format, err)
	}
	return bw.Flush()
}

// header is the reproducibility block every text format starts with.
func header(r *Report) []string { return headerIn(r, pageText["en"], NewLocale("en")) }

// clean drops control characters (terminal escapes included) and newlines.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || r == '\r' {
			return ' '
		}
		if unicode.IsControl(r) || r == utf8.RuneError || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, s)
}

func renderText(w io.Writer, r *Report) error {
	for _, l := range header(r) {
		fmt.Fprintln(w, clean(l))
	}
	for _, t := range tables(r) {
		fmt.Fprintf(w, "\n%s\n%s\n", t.Title, strings.Repeat("=", utf8.RuneCountInString(t.Title)))
		for _, f := range t.Formula {
			fmt.Fprintf(w, "  · %s\n", f)
		}
		if len(t.Rows) == 0 {
			fmt.Fprintln(w, "  (none)")
			continue
		}
		widths := make([]int, len(t.Head))
		for _, row := range append([][]string{t.Head}, t.Rows...) {
			for i, c := range row {
				widths[i] = max(widths[i], width(clean(c)))
			}
		}
		for _, row := range append([][]string{t.Head}, t.Rows...) {
			var b strings.Builder
			for i, c := range row {
				c = clean(c)
				b.WriteString(c)
				if i < len(row)-1 {
					b.WriteString(strings.Repeat(" ", widths[i]-width(c)+2))
				}
			}
			fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		}
	}
	return nil
}

var mdEscaper = strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "#", `\#`)

func renderMarkdown(w io.Writer, r *Report) error {
	h := header(r)
	fmt.Fprintf(w, "# %s\n\n", mdEscaper.Replace(clean(h[0])))
	for _, l := range h[1:] {
		fmt.Fprintf(w, "- %s\n", mdEscaper.Replace(clean(l)))
	}
	for _, t := range tables(r) {
		fmt.Fprintf(w, "\n## %s\n\n", t.Title)
		for _, f := range t.Formula {
			fmt.Fprintf(w, "- %s\n", mdEscaper.Replace(f))
		}
		if len(t.Formula) > 0 {
			fmt.Fprintln(w)
		}
		if len(t.Rows) == 0 {
			fmt.Fprintln(w, "_none_")
			continue
		}
		row := func(cells []string) {
			for i := range cells {
				cells[i] = mdEscaper.Replace(clean(cells[i]))
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
		}
		row(append([]string(nil), t.Head...))
		fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(t.Head)))
		for _, rw := range t.Rows {
			row(append([]string(nil), rw...))
		}
	}
	return nil
}

// CSVBOM starts the report's CSV (and the web export's) so Excel reads it
// as UTF-8 (Korean otherwise shows as mojibake); other readers skip it.
const CSVBOM = "\ufeff"

// CSVTime is how the CSVs write an instant: a date and time every
// spreadsheet parses (no "T", no offset), in the zone the file names.
const CSVTime = "2006-01-02 15:04:05"

// csvHeader is the report CSV's first row (docs/report.md#csv).
var csvHeader = []string{"section", "row", "column", "value", "estimated"}

// csvCell is a figure as the CSV writes it: an unknown figure ("—") or a
// change the report does not call ("new", "prev. partly collected", "too
// few to call") is an empty cell, so a spreadsheet reads the column as
// numbers, and the estimated column says why ("unknown" or the note)
// before any other reason.
func csvCell(val, est string) (string, string) {
	why := ""
	switch val {
	case unknown:
		why = "unknown"
	case noteNew, notePrevPartial, noteTooFew:
		why = val
	default:
		return val, est
	}
	if est != "" {
		why += "; " + est
	}
	return "", why
}

// renderCSV writes one long table: section, row key, column, value and,
// where the figure is estimated or partial, why; the reproducibility
// block comes first as section "meta", its days as YYYY-MM-DD and the
// generated instant as CSVTime, all in the report's time zone.
func renderCSV(w io.Writer, r *Report) error {
	if _, err := io.WriteString(w, CSVBOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	put := func(rec ...string) {
		for i := range rec {
			rec[i] = csvSafe(clean(rec[i]))
		}
		_ = cw.Write(rec)
	}
	put(csvHeader...)
	m := r.Meta
	first, last := span(m)
	pFirst, pLast := prevSpan(m)
	for _, kv := range [][2]string{{"period", m.Period}, {"first_day", first}, {"last_day", last},
		{"previous_first_day", pFirst}, {"previous_last_day", pLast}, {"days", num(int64(m.Days))}, {"timezone", m.Timezone},
		{"networks", strings.Join(m.Networks, " ")}, {"config_hash", m.ConfigHash}, {"data_watermark", num(int64(m.Watermark))},
		{"formula_version", m.FormulaVersion}, {"generated", instant(m.Generated)}} {
		put("meta", "", kv[0], kv[1], "")
	}
	for _, t := range tables(r) {
		for ri, row := range t.Rows {
			key := strings.Join(row[:t.Keys], "/")
			for i := t.Keys; i < len(row); i++ {
				val, note := csvCell(row[i], t.Est[[2]int{ri, i}])
				put(t.Title, key, t.Head[i], val, note)
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe quotes a cell a spreadsheet would evaluate as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) && !isNumber(s) {
		return "'" + s
	}
	return s
}

func isNumber(s string) bool {
	_, err := fmt.Sscanf(s, "%g", new(float64))
	return err == nil && strings.Trim(s, "+-.0123456789%e") == ""
}

// width is how many terminal columns s takes: East Asian wide characters
// (Hangul, Han, kana, fullwidth forms) take two.
func width(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6:
			n += 2
		default:
			n++
		}
	}
	return n
}
