package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// ErrOverBudget is returned by Spend when the units asked for would pass
// the limit; nothing is spent then.
var ErrOverBudget = errors.New("over budget")

// Spend adds n units to the budget named key for day (any stable label,
// such as "2026-11-26" in the budget's time zone) and returns the units
// used that day afterwards. A new day starts from zero. When used+n would
// exceed limit it spends nothing and returns the current use with an error
// wrapping ErrOverBudget. Spending is durable before Spend returns, so a
// restart never forgets what was spent.
func (s *Store) Spend(key, day string, n, limit int) (used int, err error) {
	if n < 0 || limit < 0 || key == "" || len(day) > 32 {
		return 0, fmt.Errorf("store: spend %q: invalid arguments: %w", key, ErrBadRequest)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketBudgets)
		used = budgetUsed(b.Get([]byte(key)), day)
		if used+n > limit {
			return fmt.Errorf("store: budget %s: %d + %d > %d: %w", key, used, n, limit, ErrOverBudget)
		}
		used += n
		v := make([]byte, 8+len(day))
		binary.BigEndian.PutUint64(v, uint64(used))
		copy(v[8:], day)
		return b.Put([]byte(key), v)
	})
	return used, err
}

// BudgetUsed returns the units spent for day on the budget named key.
func (s *Store) BudgetUsed(key, day string) (int, error) {
	var used int
	err := s.db.View(func(tx *bolt.Tx) error {
		used = budgetUsed(tx.Bucket(bucketBudgets).Get([]byte(key)), day)
		return nil
	})
	return used, err
}

func budgetUsed(v []byte, day string) int {
	if len(v) < 8 || string(v[8:]) != day {
		return 0
	}
	return int(binary.BigEndian.Uint64(v[:8]))
}
