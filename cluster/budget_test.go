package cluster

import (
	"errors"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

// TestBudgetsSharedAcrossNodes: two nodes spending one source's allowance
// at once spend exactly the limit between them, never more, and both read
// the same count; a new day starts from zero.
func TestBudgetsSharedAcrossNodes(t *testing.T) {
	url := standalone(t)
	a, _ := openNode(t, url, "a", "h")
	b, _ := openNode(t, url, "b", "h")
	const limit = 40
	var mu sync.Mutex
	granted := 0
	var wg sync.WaitGroup
	for _, n := range []*Node{a, b, a, b} {
		wg.Go(func() {
			for {
				_, err := n.Budgets().Spend("yt", "2026-12-05", 1, limit)
				if errors.Is(err, store.ErrOverBudget) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				granted++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if granted != limit {
		t.Errorf("granted %d units between two nodes, want exactly %d", granted, limit)
	}
	for _, n := range []*Node{a, b} {
		if used, err := n.Budgets().BudgetUsed("yt", "2026-12-05"); err != nil || used != limit {
			t.Errorf("%s reads %d, %v; want %d", n.Name(), used, err, limit)
		}
	}
	if used, err := b.Budgets().Spend("yt", "2026-12-06", 3, limit); err != nil || used != 3 {
		t.Errorf("next day: %d, %v; want 3", used, err)
	}
	if used, err := a.Budgets().BudgetUsed("yt", "2026-12-05"); err != nil || used != 0 {
		t.Errorf("yesterday after a new day: %d, %v; want 0 (one record per source, as in the store)", used, err)
	}
}

// TestBudgetsFollowTheStoreRule: the same spends against the single-node
// store and the cluster give the same counts and the same refusals.
func TestBudgetsFollowTheStoreRule(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, _ := openNode(t, standalone(t), "a", "h")
	type spend struct {
		key, day string
		n, limit int
	}
	for i, s := range []spend{
		{"x", "d1", 5, 10}, {"x", "d1", 5, 10}, {"x", "d1", 1, 10}, {"x", "d1", 0, 10},
		{"x", "d2", 11, 10}, {"x", "d2", 10, 10}, {"y", "d1", 3, 2}, {"", "d1", 1, 5}, {"x", "d3", -1, 5},
	} {
		want, werr := st.Spend(s.key, s.day, s.n, s.limit)
		got, gerr := n.Budgets().Spend(s.key, s.day, s.n, s.limit)
		if got != want || errors.Is(gerr, store.ErrOverBudget) != errors.Is(werr, store.ErrOverBudget) ||
			errors.Is(gerr, store.ErrBadRequest) != errors.Is(werr, store.ErrBadRequest) || (gerr == nil) != (werr == nil) {
			t.Errorf("spend %d %+v: cluster %d, %v; store %d, %v", i, s, got, gerr, want, werr)
		}
		wu, _ := st.BudgetUsed(s.key, s.day)
		gu, _ := n.Budgets().BudgetUsed(s.key, s.day)
		if wu != gu {
			t.Errorf("spend %d %+v: cluster reads %d, store %d", i, s, gu, wu)
		}
	}
}
