package bench

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/bench/gen"
	"github.com/earshot/earshot/store"
)

// ReportTime times the soak's weekly report on a kept store and counts
// the week's mentions from the cells, as a hand count of the stream does.
func TestReportTime(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{Logger: zerolog.Nop(), NoIndexer: true})
	if err != nil {
		t.Fatal(err)
	}
	start := soakStart.AddDate(0, 0, 50*7) // the stream's last two weeks
	g := gen.New(gen.Options{Seed: 1, Mentions: 2000, Brands: soakBrands, Start: start, Weeks: 2})
	var ms []store.Mention
	week := 0
	for m, ok := g.Next(); ok; m, ok = g.Next() {
		ms = append(ms, m)
		if !m.Published.Before(start.AddDate(0, 0, 7)) && m.Published.Before(start.AddDate(0, 0, 14)) {
			week++
		}
	}
	if _, err := st.Commit("gen", ms, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := ReportTime(context.Background(), ReportOptions{Dir: dir, Reports: 2, Out: &out, Logger: zerolog.Nop()}); err != nil {
		t.Fatal(err)
	}
	last := start.AddDate(0, 0, 7).Format(time.DateOnly)
	want := fmt.Sprintf("weekly report %s .. %s: %d mentions in the week, %d stored", last, start.AddDate(0, 0, 13).Format(time.DateOnly), week, len(ms))
	if week == 0 || !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "report.Build  2 builds  p50 ") {
		t.Errorf("output:\n%s\nwant a line %q", out.String(), want)
	}
	for _, line := range []string{"report served 2 requests  p50 ", "report rebuilt 2 requests  p50 ", "report cache  2 hits, 3 builds, 2 found changed"} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("output:\n%s\nwant a line with %q", out.String(), line)
		}
	}
	if err := ReportTime(context.Background(), ReportOptions{Out: &out}); err == nil {
		t.Error("no -dir: no error")
	}
}
