package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// cmdReport prints the competitive report: from the running daemon's API
// when one answers (it holds the store's lock), else from the store.
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", stderr)
	path := configFlag(fs)
	week := fs.String("week", "", "ISO week to report, e.g. 2026-W47 (Monday to Sunday)")
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
	if !contains(report.Formats, *format) {
		return fmt.Errorf("-format %q: want one of %s", *format, strings.Join(report.Formats, ", "))
	}
	v := url.Values{"period": {*period}}
	switch {
	case *week != "" && *end != "":
		return errors.New("give -week or -end, not both")
	case *week != "":
		sunday, err := isoWeekEnd(*week)
		if err != nil {
			return err
		}
		v.Set("end", sunday.Format(time.DateOnly))
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
	r, err := reportFromDaemon(ctx, cfg, v)
	if isNotRunning(err) {
		r, err = reportFromStore(ctx, cfg, v, stderr)
	}
	if err != nil {
		return err
	}
	return report.Render(stdout, r, *format)
}

var isoWeek = regexp.MustCompile(`^(\d{4})-W(\d{2})$`)

// isoWeekEnd returns the Sunday of an ISO week written "2026-W47".
func isoWeekEnd(s string) (time.Time, error) {
	m := isoWeek.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("-week %q: want an ISO week like 2026-W47", s)
	}
	y, _ := strconv.Atoi(m[1])
	w, _ := strconv.Atoi(m[2])
	if w < 1 || w > 53 || y < 1971 {
		return time.Time{}, fmt.Errorf("-week %q: want an ISO week like 2026-W47", s)
	}
	// January 4th is always in week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(w-1))
	if _, iw := monday.ISOWeek(); iw != w {
		return time.Time{}, fmt.Errorf("-week %q: %d has no week %d", s, y, w)
	}
	return monday.AddDate(0, 0, 6), nil
}

// reportFromDaemon asks the running daemon's /api/report.
func reportFromDaemon(ctx context.Context, cfg *config.Config, v url.Values) (*report.Report, error) {
	var r report.Report
	if err := daemonGet(ctx, cfg, "/api/report", v, time.Minute, 64<<20, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// reportFromStore builds the report from the store when no daemon runs.
func reportFromStore(ctx context.Context, cfg *config.Config, v url.Values, stderr io.Writer) (*report.Report, error) {
	req := report.Request{Config: cfg, Period: v.Get("period"), Now: time.Now()}
	if e := v.Get("end"); e != "" {
		t, err := time.Parse(time.DateOnly, e)
		if err != nil {
			return nil, fmt.Errorf("-end %q: want a date like 2026-11-22", e)
		}
		req.End = t
	}
	if n := v.Get("network"); n != "" {
		req.Networks = strings.Split(n, ",")
	}
	// The report reads rollups only: leave the search index as it is.
	st, err := store.Open(cfg.Earshot.DataDir, store.Options{Logger: newLogger("warn", stderr), NoIndexer: true})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return report.Build(ctx, st, req)
}
