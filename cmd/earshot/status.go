package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
)

func cmdStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("status", stderr)
	path := configFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	var sources web.SourcesResponse
	var stats store.Stats
	digestLine := ""
	base := "http://" + apiHost(cfg.Earshot.Listen)
	err = daemonGet(ctx, cfg, "/api/sources", nil, 10*time.Second, 8<<20, &sources)
	if err == nil {
		err = daemonGet(ctx, cfg, "/api/stats", nil, 10*time.Second, 8<<20, &stats)
	}
	switch {
	case err == nil:
		fmt.Fprintf(stdout, "daemon: running, API on %s\n", base)
	case isNotRunning(err):
		fmt.Fprintf(stdout, "daemon: not running (nothing answers on %s)\n", base)
		st, oerr := store.Open(cfg.Earshot.DataDir, store.Options{Logger: newLogger("warn", stderr)})
		if oerr != nil {
			return oerr
		}
		stats = st.Stats()
		digestLine = digestStatusLine(cfg, st) // with the send log: the store is ours
		if cerr := st.Close(); cerr != nil {
			return cerr
		}
	default:
		return err
	}
	printStats(stdout, cfg, stats)
	if c := sources.Config; c != nil {
		fmt.Fprintf(stdout, "config: %s loaded %s", c.File, c.LoadedAt.Local().Format(time.DateTime))
		if c.Reloads > 0 {
			fmt.Fprintf(stdout, ", reloaded %d time(s)", c.Reloads)
		}
		fmt.Fprintln(stdout)
		if c.Error != "" {
			fmt.Fprintf(stdout, "config: LAST RELOAD REJECTED (the previous config keeps running):\n  %s\n", strings.ReplaceAll(c.Error, "\n", "\n  "))
		}
		if len(c.RestartNeeded) > 0 {
			fmt.Fprintf(stdout, "config: restart needed for %s\n", strings.Join(c.RestartNeeded, ", "))
		}
	}
	if digestLine == "" {
		digestLine = digestStatusLine(cfg, nil) // the daemon holds the store: schedule only
	}
	fmt.Fprintln(stdout, digestLine)
	if len(sources.Sources) > 0 {
		printSources(stdout, sources.Sources, time.Now())
	} else {
		fmt.Fprintf(stdout, "\nsources: %d configured (health is known only while the daemon runs)\n", len(cfg.Sources))
	}
	return nil
}

// apiHost turns a listen address into one a client can dial: a wildcard
// host (":8089", "0.0.0.0:8089", "[::]:8089") becomes loopback.
func apiHost(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

func printStats(w io.Writer, cfg *config.Config, s store.Stats) {
	fmt.Fprintf(w, "store: %s — %d mentions, bbolt %s, index %s, index lag %d\n",
		cfg.Earshot.DataDir, s.Mentions, humanBytes(s.DBBytes), humanBytes(s.IndexBytes), s.IndexLag)
	fmt.Fprintf(w, "  by brand:   %s\n", countsLine(s.Brands))
	fmt.Fprintf(w, "  by network: %s\n", countsLine(s.Networks))
}

func countsLine(m map[string]uint64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	if len(parts) == 0 {
		return "none yet"
	}
	return strings.Join(parts, ", ")
}

func printSources(w io.Writer, ss []web.SourceStatus, now time.Time) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tNETWORK\tSTATE\tLAST SUCCESS\tNEXT RUN\tPOSTS\tSTORED\tBUDGET\tLAST ERROR")
	for _, s := range ss {
		state := "ok"
		switch {
		case s.Throttled:
			state = "throttled"
		case !s.Healthy:
			state = fmt.Sprintf("failing (%d)", s.ConsecutiveFailures)
		case s.Silent:
			state = "silent"
		}
		budget := "-"
		if s.Budget != nil {
			budget = fmt.Sprintf("%d/%d", s.Budget.Used, s.Budget.Limit)
		}
		errText := s.LastError
		if len(errText) > 80 {
			errText = errText[:77] + "..."
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", s.Name, s.Network, state,
			ago(s.LastSuccess, now), in(s.NextRun, now), s.PostsFetched, s.MentionsStored, budget, errText)
	}
	tw.Flush()
}

func ago(t *time.Time, now time.Time) string {
	if t == nil {
		return "never"
	}
	return now.Sub(*t).Round(time.Second).String() + " ago"
}

func in(t *time.Time, now time.Time) string {
	if t == nil {
		return "-"
	}
	if d := t.Sub(now); d > 0 {
		return "in " + d.Round(time.Second).String()
	}
	return "due"
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
