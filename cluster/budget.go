package cluster

import (
	"context"
	"encoding/base64"
	"fmt"

	"github.com/earshot/earshot/store"
)

// Budgets are the sources' daily allowances (ingest.Spender) kept in the
// ledger bucket, so a source whose lease moves to another node spends from
// the same day's count: three nodes never spend three days' quota in one.
// Spending is a compare-and-set on the source's one record, retried on a
// lost race, with the same rule as the single-node store (store.Spend):
// the day's count plus n may not pass the limit; a new day starts at 0.
type Budgets struct{ n *Node }

// Budgets returns the cluster's budget counters.
func (n *Node) Budgets() Budgets { return Budgets{n} }

// budgetRecord is the value of one source's budget key.
type budgetRecord struct {
	Day  string `json:"day"`
	Used int    `json:"used"`
}

func budgetKey(key string) string {
	return "budget." + base64.RawURLEncoding.EncodeToString([]byte(key))
}

// read returns the units key spent on day.
func (b Budgets) read(ctx context.Context, key, day string) (int, error) {
	var r budgetRecord
	_, err := getJSON(ctx, b.n.kv.ledger, budgetKey(key), "budget "+key, &r)
	return r.usedOn(day), err
}

// usedOn is the record's count for day: 0 once the day has changed.
func (r budgetRecord) usedOn(day string) int {
	if r.Day != day {
		return 0
	}
	return r.Used
}

// Spend adds n units to key's count for day unless that passes limit; it
// returns the count after spending, or the count as it stands and an error
// wrapping store.ErrOverBudget.
func (b Budgets) Spend(key, day string, n, limit int) (int, error) {
	if n < 0 || limit < 0 || key == "" || len(day) > 32 {
		return 0, fmt.Errorf("cluster: spend %q: invalid arguments: %w", key, store.ErrBadRequest)
	}
	ctx, cancel := ledgerCtx()
	defer cancel()
	var used int
	err := updateJSON(ctx, b.n.kv.ledger, budgetKey(key), "budget "+key, func(r *budgetRecord) (bool, error) {
		used = r.usedOn(day)
		if used+n > limit {
			return false, fmt.Errorf("cluster: budget %s: %d + %d > %d: %w", key, used, n, limit, store.ErrOverBudget)
		}
		*r = budgetRecord{Day: day, Used: used + n}
		return true, nil
	})
	if err == nil {
		used += n
	}
	return used, err
}

// BudgetUsed returns the units key spent on day across the cluster.
func (b Budgets) BudgetUsed(key, day string) (int, error) {
	ctx, cancel := ledgerCtx()
	defer cancel()
	return b.read(ctx, key, day)
}
