package ingest

import (
	"errors"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/store"
)

func TestBudgetDayAndReset(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pacific, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	// 07:30 UTC on the 26th is 23:30 on the 25th in Los Angeles.
	now := time.Date(2026, 11, 26, 7, 30, 0, 0, time.UTC)
	b := &Budget{Store: st, Key: "youtube", Limit: 200, Loc: pacific, Clock: func() time.Time { return now }}
	if err := b.Take(150); err != nil {
		t.Fatal(err)
	}
	err = b.Take(100)
	var be *listener.BudgetError
	if !errors.As(err, &be) {
		t.Fatalf("over budget: %v", err)
	}
	wantReset := time.Date(2026, 11, 26, 0, 0, 0, 0, pacific)
	if be.Used != 150 || be.Limit != 200 || !be.Resets.Equal(wantReset) {
		t.Errorf("budget error = %+v, want resets %v", be, wantReset)
	}
	if u := b.Usage(); u.Used != 150 || !u.Resets.Equal(wantReset) {
		t.Errorf("usage = %+v", u)
	}
	// The scheduler waits for the new budget day, not just the interval.
	p := policy{minBackoff: time.Second, maxBackoff: time.Minute, rnd: func() float64 { return 0.5 }, clock: func() time.Time { return now }}
	if wait := p.next(5*time.Minute, 0, err); wait != 30*time.Minute {
		t.Errorf("wait after a spent budget = %v, want 30m (to midnight Pacific)", wait)
	}
	// Past midnight in Los Angeles the budget is whole again.
	now = now.Add(31 * time.Minute)
	if err := b.Take(200); err != nil {
		t.Errorf("new day: %v", err)
	}
}
