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
	period := fs.String("period", "week", "day, week or month (28 days)")
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
	v := url.Values{"period": {*period}}
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
