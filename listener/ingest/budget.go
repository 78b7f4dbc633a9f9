package ingest

import (
	"errors"
	"fmt"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/store"
)

// Spender is the persistent counter a Budget spends from; *store.Store
// implements it.
type Spender interface {
	Spend(key, day string, n, limit int) (used int, err error)
	BudgetUsed(key, day string) (int, error)
}

// Budget is a listener.Budget kept in the store: a daily allowance whose
// day runs midnight to midnight in Loc (YouTube's quota day is Pacific
// time; Naver's is Korean time), so what was spent survives restarts.
type Budget struct {
	Store Spender
	Key   string // the source name
	Limit int
	Loc   *time.Location
	Clock func() time.Time
}

func (b *Budget) day() (label string, resets time.Time) {
	now := time.Now
	if b.Clock != nil {
		now = b.Clock
	}
	loc := b.Loc
	if loc == nil {
		loc = time.UTC
	}
	t := now().In(loc)
	start := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	return start.Format(time.DateOnly), start.AddDate(0, 0, 1)
}

// Take reserves n units of today's budget, or returns a
// *listener.BudgetError when fewer than n remain.
func (b *Budget) Take(n int) error {
	day, resets := b.day()
	used, err := b.Store.Spend(b.Key, day, n, b.Limit)
	switch {
	case errors.Is(err, store.ErrOverBudget):
		return &listener.BudgetError{Used: used, Limit: b.Limit, Resets: resets}
	case err != nil:
		return fmt.Errorf("budget %s: %w", b.Key, err)
	}
	return nil
}

// Usage reports today's spending.
func (b *Budget) Usage() listener.BudgetUsage {
	day, resets := b.day()
	used, _ := b.Store.BudgetUsed(b.Key, day)
	return listener.BudgetUsage{Used: used, Limit: b.Limit, Resets: resets}
}
