package cluster

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

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

// read returns the units key spent on day and the record's revision (0
// when there is none).
func (b Budgets) read(ctx context.Context, key, day string) (used int, rev uint64, err error) {
	e, err := b.n.kv.ledger.Get(ctx, budgetKey(key))
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted):
		return 0, 0, nil
	case err != nil:
		return 0, 0, fmt.Errorf("cluster: read budget %s: %w", key, err)
	}
	var r budgetRecord
	if err := json.Unmarshal(e.Value(), &r); err != nil {
		return 0, 0, fmt.Errorf("cluster: decode budget %s: %w", key, err)
	}
	if r.Day != day {
		return 0, e.Revision(), nil
	}
	return r.Used, e.Revision(), nil
}

// Spend adds n units to key's count for day unless that passes limit; it
// returns the count after spending, or the count as it stands and an error
// wrapping store.ErrOverBudget.
func (b Budgets) Spend(key, day string, n, limit int) (int, error) {
	if n < 0 || limit < 0 || key == "" || len(day) > 32 {
		return 0, fmt.Errorf("cluster: spend %q: invalid arguments: %w", key, store.ErrBadRequest)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		used, rev, err := b.read(ctx, key, day)
		if err != nil {
			return 0, err
		}
		if used+n > limit {
			return used, fmt.Errorf("cluster: budget %s: %d + %d > %d: %w", key, used, n, limit, store.ErrOverBudget)
		}
		v, err := json.Marshal(budgetRecord{Day: day, Used: used + n})
		if err != nil {
			return used, fmt.Errorf("cluster: encode budget %s: %w", key, err)
		}
		if rev == 0 {
			_, err = b.n.kv.ledger.Create(ctx, budgetKey(key), v)
		} else {
			_, err = b.n.kv.ledger.Update(ctx, budgetKey(key), v, rev)
		}
		switch {
		case err == nil:
			return used + n, nil
		case errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch):
			continue // another node spent meanwhile: read again
		default:
			return used, fmt.Errorf("cluster: spend budget %s: %w", key, err)
		}
	}
}

// BudgetUsed returns the units key spent on day across the cluster.
func (b Budgets) BudgetUsed(key, day string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	used, _, err := b.read(ctx, key, day)
	return used, err
}
