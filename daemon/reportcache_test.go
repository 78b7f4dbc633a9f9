package daemon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
)

// The background builder asks for the default weekly report after each
// change (a modification, a new day, a reload), spaces its builds, and
// skips checks while nothing moved.
func TestReportLoopWarmsAfterChanges(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	cfg := &config.Config{}
	seq := uint64(5)
	build := true // what the cache answers: built or served
	var failNext bool
	var calls []string
	warm := func(_ context.Context, req report.Request) (bool, error) {
		if req.Config != cfg || req.Period != "week" || !req.Now.Equal(now) || !req.End.IsZero() || len(req.Networks) > 0 {
			t.Errorf("request %+v: want the default weekly report now", req)
		}
		if failNext {
			failNext = false
			calls = append(calls, "error")
			return false, errors.New("disk on fire")
		}
		calls = append(calls, fmt.Sprint(build))
		return build, nil
	}
	steps := map[int]func(){
		3: func() { seq++; build = false },          // a change outside the week: served
		4: func() { now = now.Add(24 * time.Hour) }, // a new day: the same week, served
		5: func() { cfg = &config.Config{}; build = true },
		6: func() { seq++; failNext = true },
	}
	var waits []time.Duration
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	sleep := func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		if len(waits) > 8 {
			cancel()
			return context.Canceled
		}
		if f := steps[len(waits)]; f != nil {
			f()
		}
		return nil
	}
	reportLoop(ctx, warm, func() uint64 { return seq }, func() *config.Config { return cfg }, zerolog.Nop(),
		func() time.Time { return now }, sleep)
	if got, want := fmt.Sprint(calls), "[true false false true error true]"; got != want {
		t.Errorf("warm calls %s, want %s", got, want)
	}
	want := []time.Duration{reportFirst, reportGap, reportPoll, reportPoll, reportPoll, reportGap, reportGap, reportGap, reportPoll}
	if fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Errorf("waits %v, want %v", waits, want)
	}
}

// docs/report.md states the background builder's intervals.
func TestReportLoopDoc(t *testing.T) {
	raw, err := os.ReadFile("../docs/report.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(string(raw)), " ")
	for _, want := range []string{
		fmt.Sprintf("every %d s", int(reportPoll.Seconds())),
		fmt.Sprintf("at least %d s and ten build times apart", int(reportGap.Seconds())),
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/report.md does not say %q", want)
		}
	}
}
