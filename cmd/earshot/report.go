package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/daemon"
	"github.com/earshot/earshot/digest"
)

// cmdReport prints the competitive report: from the running daemon's API
// when one answers (it holds the store's lock), else from the store.
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", stderr)
	path := configFlag(fs)
	week := fs.String("week", "", "ISO week to report, e.g. 2026-W47 (Monday to Sunday), or a date in it")
	end := fs.String("end", "", "last day to report, YYYY-MM-DD (default: yesterday)")
	period := fs.String("period", "week", strings.Join(report.Periods, ", ")+" (docs/report.md#periods)")
	start := fs.String("start", "", "first day of a -period custom report, YYYY-MM-DD (with -end)")
	compare := fs.String("compare-from", "", "first day of the comparison period, YYYY-MM-DD (default: the days right before)")
	network := fs.String("network", "", "only this network (comma-separate several)")
	format := fs.String("format", "text", "text, markdown, csv, json or html")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("report takes no arguments, got %q", fs.Args())
	}
	if !slices.Contains(report.Formats, *format) {
		return fmt.Errorf("-format %q: want one of %s", *format, strings.Join(report.Formats, ", "))
	}
	if !slices.Contains(report.Periods, *period) {
		return fmt.Errorf("-period %q: want one of %s", *period, strings.Join(report.Periods, ", "))
	}
	if (*period == "custom") != (*start != "") {
		return errors.New("-start goes with -period custom, and -period custom needs -start")
	}
	v := url.Values{"period": {*period}}
	for _, d := range []struct{ flag, key, val string }{{"-start", "start", *start}, {"-compare-from", "compare_from", *compare}} {
		if d.val == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d.val); err != nil {
			return fmt.Errorf("%s %q: want a date like 2026-11-22", d.flag, d.val)
		}
		v.Set(d.key, d.val)
	}
	switch {
	case *week != "" && *end != "":
		return errors.New("give -week or -end, not both")
	case *week != "":
		w, err := digest.ParseWeek(*week, time.UTC)
		if err != nil {
			return fmt.Errorf("-week: %w", err)
		}
		v.Set("end", w.Sunday(time.UTC).Format(time.DateOnly))
	case *end != "":
		v.Set("end", *end)
	}
	if *network != "" {
		v.Set("network", *network)
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	r, err := daemon.Report(ctx, cfg, v, daemon.NewLogger("warn", cfg.Earshot.LogFormat, stderr))
	if err != nil {
		return err
	}
	return report.Render(stdout, r, *format)
}
