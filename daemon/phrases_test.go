package daemon

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
)

// The background tagger tags in batches, soon again while posts are
// left, and checks again only after a commit, a new day or a reload.
func TestPhraseLoopBatchesAndSkips(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	cfg := &config.Config{}
	seq := uint64(5)
	pending := 100 // posts of the sample without kept phrases
	var failNext bool
	var calls []string
	tag := func(_ context.Context, req report.Request, limit int) (report.WarmResult, error) {
		if req.Config != cfg || req.Period != "week" || !req.Now.Equal(now) || !req.End.IsZero() {
			t.Errorf("request %+v: want the default weekly report now", req)
		}
		if failNext {
			failNext = false
			calls = append(calls, "error")
			return report.WarmResult{}, errors.New("disk on fire")
		}
		n := min(limit, pending)
		pending -= n
		calls = append(calls, fmt.Sprint(n))
		return report.WarmResult{Sample: 100, Tagged: n, Left: pending}, nil
	}
	// What happens before each check (index = sleeps so far).
	steps := map[int]func(){
		4: func() { seq++; pending = 3 },            // a commit brought new picks
		5: func() { now = now.Add(24 * time.Hour) }, // a new day
		6: func() { cfg = &config.Config{} },        // a reload
		7: func() { seq++; failNext = true },        // an error: checked again next time
	}
	var waits []time.Duration
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	sleep := func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		if len(waits) > 9 {
			cancel()
			return context.Canceled
		}
		if f := steps[len(waits)]; f != nil {
			f()
		}
		return nil
	}
	phraseLoop(ctx, tag, func() uint64 { return seq }, func() *config.Config { return cfg }, zerolog.Nop(),
		func() time.Time { return now }, sleep)
	wantCalls := "[64 36 3 0 0 error 0]"
	if got := fmt.Sprint(calls); got != wantCalls {
		t.Errorf("batches %s, want %s", got, wantCalls)
	}
	want := []time.Duration{phraseFirst, phraseSoon, phraseEvery, phraseEvery, phraseEvery, phraseEvery, phraseEvery, phraseEvery, phraseEvery, phraseEvery}
	if fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Errorf("waits %v, want %v", waits, want)
	}
}
