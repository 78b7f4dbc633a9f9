package daemon

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/digest"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
)

// WriteStatus prints source health, budgets, mention counts, index lag,
// store size and the digest schedule to stdout: through the running
// daemon's API, or from the store (log is its logger) when none runs.
func WriteStatus(ctx context.Context, cfg *config.Config, log zerolog.Logger, stdout io.Writer) error {
	var sources web.SourcesResponse
	var stats store.Stats
	digestLine := ""
	base := "http://" + APIHost(cfg.Earshot.Listen)
	err := Get(ctx, cfg, "/api/sources", nil, 10*time.Second, 8<<20, &sources)
	if err == nil {
		err = Get(ctx, cfg, "/api/stats", nil, 10*time.Second, 8<<20, &stats)
	}
	switch {
	case err == nil:
		fmt.Fprintf(stdout, "daemon: running, API on %s\n", base)
	case IsNotRunning(err):
		fmt.Fprintf(stdout, "daemon: not running (nothing answers on %s)\n", base)
		st, oerr := store.Open(cfg.Earshot.DataDir, store.Options{Logger: log})
		if oerr != nil {
			return oerr
		}
		stats = st.Stats()
		digestLine = DigestStatusLine(cfg, st) // with the send log: the store is ours
		if cerr := st.Close(); cerr != nil {
			return cerr
		}
	default:
		return err
	}
	printStats(stdout, cfg, stats)
	writeClusterStatus(ctx, cfg, stdout)
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
		digestLine = DigestStatusLine(cfg, nil) // the daemon holds the store: schedule only
	}
	fmt.Fprintln(stdout, digestLine)
	printAlertChannels(stdout, sources.AlertChannels)
	if len(sources.Sources) > 0 {
		printSources(stdout, sources.Sources, time.Now())
	} else {
		fmt.Fprintf(stdout, "\nsources: %d configured (health is known only while the daemon runs)\n", len(cfg.Sources))
	}
	return nil
}

func printStats(w io.Writer, cfg *config.Config, s store.Stats) {
	fmt.Fprintf(w, "store: %s — %d mentions, bbolt %s, index %s, index lag %d\n",
		cfg.Earshot.DataDir, s.Mentions, HumanBytes(s.DBBytes), HumanBytes(s.IndexBytes), s.IndexLag)
	fmt.Fprintf(w, "  by brand:   %s\n", countsLine(s.Brands))
	fmt.Fprintf(w, "  by network: %s\n", countsLine(s.Networks))
	if wr := s.Writes; wr.Paused {
		since := ""
		if wr.Since != nil {
			since = " since " + wr.Since.Local().Format(time.DateTime)
		}
		fmt.Fprintf(w, "ingest: PAUSED%s, disk full (%s); reads go on, resumes by itself when space is freed (%d retries)\n", since, wr.Reason, wr.Probes)
	}
	fmt.Fprintln(w, verifyLine(s.Verify, time.Now()))
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
		case s.Degraded:
			state = "degraded"
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

// HumanBytes formats a size in B, KiB, MiB or GiB.
func HumanBytes(n int64) string {
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

// DigestStatusLine is the digest line of `earshot status`: the next
// scheduled send and the latest outcome recorded in st (nil when the
// store is held by the running daemon: only the schedule is shown).
func DigestStatusLine(cfg *config.Config, st *store.Store) string {
	if !cfg.Digest.Enabled() {
		return "digest: off (no [digest] recipients)"
	}
	s, err := digest.ParseSchedule(cfg.Digest.Schedule, cfg.Earshot.Location)
	if err != nil {
		return "digest: " + err.Error()
	}
	var log []store.DigestRecord
	if st != nil {
		if log, err = st.DigestLog(0); err != nil {
			return "digest: " + err.Error()
		}
	}
	line := digest.StatusLine(s, log, time.Now())
	if st == nil {
		line = strings.Replace(line, "; nothing sent yet", "", 1)
	}
	return line
}
