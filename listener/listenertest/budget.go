package listenertest

import (
	"sync"
	"time"

	"github.com/earshot/earshot/listener"
)

// Budget is an in-memory listener.Budget. Take grants n units while
// Used+n <= Limit, adding them to Used and appending n to Takes; past the
// limit it returns a *listener.BudgetError carrying Resets. Set the fields
// before handing the Budget to a source and read them after its Fetch
// returns.
type Budget struct {
	Limit  int
	Used   int
	Resets time.Time
	Takes  []int

	mu sync.Mutex
}

// Take implements listener.Budget.
func (b *Budget) Take(n int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Used+n > b.Limit {
		return &listener.BudgetError{Used: b.Used, Limit: b.Limit, Resets: b.Resets}
	}
	b.Used += n
	b.Takes = append(b.Takes, n)
	return nil
}

// Usage implements listener.Budget.
func (b *Budget) Usage() listener.BudgetUsage {
	b.mu.Lock()
	defer b.mu.Unlock()
	return listener.BudgetUsage{Used: b.Used, Limit: b.Limit, Resets: b.Resets}
}
