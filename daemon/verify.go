package daemon

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

// Background verify: weekly, counted from the last recorded run (a daemon
// restarted daily still verifies weekly), at low priority: short read
// transactions with a pause between them.
const (
	verifyEvery = 7 * 24 * time.Hour
	verifyFirst = 10 * time.Minute // earliest after start
	verifyPause = 50 * time.Millisecond
)

// verifier is the part of the store the weekly verify needs.
type verifier interface {
	Verify(ctx context.Context, opts store.VerifyOptions) (store.VerifyReport, error)
	LastVerify() *store.VerifyRecord
}

// runVerify verifies the store weekly until ctx is done, logging what it
// found (status shows the recorded summary).
func runVerify(ctx context.Context, st verifier, log zerolog.Logger, clock func() time.Time) {
	verifyLoop(ctx, st, log, clock, sleepCtx)
}

// verifyLoop is runVerify with its sleep passed in: the wait is computed
// from clock and the recorded last run, and sleep (a timer in the daemon,
// an advancing fake clock in tests) waits it out.
func verifyLoop(ctx context.Context, st verifier, log zerolog.Logger, clock func() time.Time,
	sleep func(context.Context, time.Duration) error) {
	for {
		wait := verifyFirst
		if last := st.LastVerify(); last != nil {
			wait = max(wait, last.At.Add(verifyEvery).Sub(clock()))
		}
		if sleep(ctx, wait) != nil {
			return
		}
		rep, err := st.Verify(ctx, store.VerifyOptions{Pause: verifyPause})
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return
			}
			log.Error().Err(err).Msg("verify: could not run; retrying next week")
		case rep.OK():
			log.Info().Uint64("mentions", rep.Mentions).Dur("took", rep.Took).Msg("verify: database checked, no damage found")
		default:
			ev := log.Error().Int("problems", rep.ProblemCount).Dur("took", rep.Took)
			if len(rep.Problems) > 0 {
				ev = ev.Str("first", rep.Problems[0].String())
			}
			ev.Msg("verify: DATABASE DAMAGED; run `earshot verify` with the daemon stopped for the full list, then restore from a backup")
		}
		if st.LastVerify() == nil { // could not record: wait a week anyway
			if sleep(ctx, verifyEvery) != nil {
				return
			}
		}
	}
}

// Verify checks the database in dataDir (daemon stopped) and prints the
// report to w; it returns an error when damage was found.
func Verify(ctx context.Context, dataDir string, log zerolog.Logger, w io.Writer) error {
	rep, err := store.VerifyFile(ctx, dataDir, store.VerifyOptions{}, store.Options{Logger: log})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "verified %s in %s: %d mentions, %d id entries, %d time entries, %d rollup hours recounted\n",
		rep.Path, rep.Took.Round(time.Millisecond), rep.Mentions, rep.IDs, rep.Times, rep.HoursSample)
	if !rep.CountersChecked && rep.OK() {
		fmt.Fprintln(w, "counters: not compared (the store changed during the walk)")
	}
	if rep.OK() {
		fmt.Fprintln(w, "no damage found")
		return nil
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "DAMAGE %s\n", p)
	}
	if more := rep.ProblemCount - len(rep.Problems); more > 0 {
		fmt.Fprintf(w, "… and %d more\n", more)
	}
	return fmt.Errorf("verify: %d problem(s) in %s: restore the last good backup (`earshot restore -from FILE`), or `earshot reindex` when only the search index is affected", rep.ProblemCount, rep.Path)
}

// verifyLine is status's line about the last verify.
func verifyLine(rec *store.VerifyRecord, now time.Time) string {
	if rec == nil {
		return "verify: never run (`earshot verify`, or weekly by the daemon)"
	}
	ago := now.Sub(rec.At).Round(time.Minute)
	if rec.Problems == 0 {
		return fmt.Sprintf("verify: last run %s (%s ago), %d mentions, no damage found", rec.At.Local().Format(time.DateTime), ago, rec.Mentions)
	}
	line := fmt.Sprintf("verify: last run %s (%s ago): %d PROBLEM(S) FOUND", rec.At.Local().Format(time.DateTime), ago, rec.Problems)
	for _, p := range rec.First {
		line += "\n  " + p
	}
	return line
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
