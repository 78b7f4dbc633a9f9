package web

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/store"
)

// Export limits: an export streams every page of a result set, up to
// MaxExportRows mentions, and may take up to exportWriteTimeout.
const (
	MaxExportRows      = 100_000
	exportWriteTimeout = 15 * time.Minute
	exportFlushEvery   = 500
)

// csvHeader is the CSV's first row; the published column's name states
// its time zone (csvHeaderFor), the cells are csvTime in that zone.
var csvHeader = []string{"id", "network", "source", "kind", "published", "url", "title", "author", "author_name",
	"lang", "sentiment", "sentiment_label", "engagement_total", "brands", "topics", "text", "published_estimated"}

// csvPublished is the index of the published column in csvHeader.
const csvPublished = 4

// csvTime and csvBOM are the report CSV's (report.CSVTime: a date and
// time every spreadsheet parses; report.CSVBOM: Excel reads UTF-8).
const (
	csvTime = report.CSVTime
	csvBOM  = report.CSVBOM
)

// csvHeaderFor is csvHeader with the zone in the published column's name:
// "published (Asia/Seoul)".
func csvHeaderFor(loc *time.Location) []string {
	h := slices.Clone(csvHeader)
	h[csvPublished] += " (" + loc.String() + ")"
	return h
}

// exportLimit is the most rows one export returns (Options.ExportLimit,
// default MaxExportRows).
func (s *Server) exportLimit() int {
	if n := s.opts.ExportLimit; n > 0 && n < MaxExportRows {
		return n
	}
	return MaxExportRows
}

// handleExport streams the mentions a search selects (all pages) as CSV or
// JSON lines: format=csv|jsonl, limit=1..100000, plus the search parameters.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	format := v.Get("format")
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "jsonl" {
		badRequest(w, fmt.Sprintf("format: %q is not csv or jsonl", format))
		return
	}
	maxRows := s.exportLimit()
	limit, err := intParam(v, "limit", maxRows, 1, maxRows)
	if err != nil {
		badRequest(w, err.Error())
		return
	}
	n := s.currentNames()
	v.Del("page")
	v.Del("size")
	req, canonical, err := ParseSearch(v, n.brands, n.networks, s.zone())
	if err != nil {
		writeParseError(w, err)
		return
	}
	// One cheap count first: a bad request is still a clean 400 here, and
	// the caller learns whether the export is cut short.
	count := req
	count.Page, count.Size, count.NoFacets, count.Facets = 1, 1, true, nil
	res, err := s.opts.Searcher.Search(r.Context(), count)
	if err != nil {
		if errors.Is(err, store.ErrBadRequest) {
			badRequest(w, err.Error())
			return
		}
		s.opts.Logger.Error().Err(err).Str("q", canonical).Msg("export count failed")
		writeError(w, http.StatusInternalServerError, "internal", "export failed; see the daemon log")
		return
	}
	rc := http.NewResponseController(w)
	// A socket deadline is wall-clock time, whatever clock the server runs on.
	_ = rc.SetWriteDeadline(time.Now().Add(exportWriteTimeout))
	h := w.Header()
	stamp := s.opts.Clock().UTC().Format("20060102-150405")
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
	} else {
		h.Set("Content-Type", "application/x-ndjson; charset=utf-8")
	}
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="earshot-mentions-%s.%s"`, stamp, format))
	h.Set("X-Earshot-Total", strconv.FormatUint(res.Total, 10))
	h.Set("X-Earshot-Export-Limit", strconv.Itoa(limit))
	loc := s.zone()
	h.Set("X-Earshot-Timezone", loc.String())
	if res.Total > uint64(limit) {
		h.Set("X-Earshot-Truncated", "true")
	}
	w.WriteHeader(http.StatusOK)

	bw := bufio.NewWriterSize(w, 32<<10)
	var write func(m store.Mention) error
	if format == "csv" {
		cw := csv.NewWriter(bw)
		_, _ = bw.WriteString(csvBOM)
		if err := cw.Write(csvHeaderFor(loc)); err != nil {
			panic(http.ErrAbortHandler) // the status is sent: a clean end would look like an empty export
		}
		write = func(m store.Mention) error {
			if err := cw.Write(csvRow(m, loc)); err != nil {
				return err
			}
			cw.Flush()
			return cw.Error()
		}
	} else {
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(true)
		write = func(m store.Mention) error { return enc.Encode(m) }
	}
	rows := 0
	_, err = s.opts.Searcher.SearchEach(r.Context(), req, limit, func(m store.Mention) error {
		if err := write(m); err != nil {
			return err
		}
		if rows++; rows%exportFlushEvery == 0 {
			if err := bw.Flush(); err != nil {
				return err
			}
			_ = rc.Flush()
		}
		return nil
	})
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		if r.Context().Err() == nil {
			s.opts.Logger.Error().Err(err).Str("q", canonical).Int("rows", rows).Msg("export stopped")
		}
		// The status is sent: abort so the client sees a broken transfer,
		// not a complete-looking file.
		panic(http.ErrAbortHandler)
	}
	s.opts.Logger.Info().Str("q", canonical).Str("format", format).Int("rows", rows).Msg("export")
}

// csvRow is one mention as CSV cells, its date in loc. Text cells that a
// spreadsheet would run as a formula (=, +, -, @, tab, CR first) get a
// leading apostrophe.
func csvRow(m store.Mention, loc *time.Location) []string {
	return []string{
		cell(m.ID), cell(m.Network), cell(m.Source), cell(m.Kind), m.Published.In(loc).Format(csvTime),
		cell(m.URL), cell(m.Title), cell(m.Author), cell(m.AuthorName), cell(m.Lang),
		strconv.FormatFloat(m.Sentiment, 'f', 3, 64), cell(m.SentimentLabel), strconv.FormatInt(m.EngagementTotal, 10),
		cell(strings.Join(m.Brands, ";")), cell(strings.Join(m.Topics, ";")), cell(m.Text),
		strconv.FormatBool(m.PublishedEstimated),
	}
}

func cell(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
