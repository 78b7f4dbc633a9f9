package cluster

import (
	"context"
	"testing"
	"time"
)

// updateJSON loses no write to a writer that wins the race between its
// read and its write: the lost compare-and-set reads again and applies f
// to the winner's value. Deterministic: f itself writes the key behind
// the update's back on its first call.
func TestUpdateJSONRetriesALostRace(t *testing.T) {
	n, _ := openNode(t, standalone(t), "a", "h")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	kv := n.kv.ledger
	for _, existing := range []bool{false, true} {
		key := "race.new"
		if existing {
			key = "race.existing"
			if _, err := kv.Put(ctx, key, []byte(`{"day":"d","used":1}`)); err != nil {
				t.Fatal(err)
			}
		}
		calls := 0
		err := updateJSON(ctx, kv, key, "race", func(r *budgetRecord) (bool, error) {
			calls++
			if calls == 1 { // another node spends 10 between our read and our write
				if _, err := kv.Put(ctx, key, []byte(`{"day":"d","used":`+map[bool]string{false: "10", true: "11"}[existing]+`}`)); err != nil {
					return false, err
				}
			}
			r.Day, r.Used = "d", r.Used+5
			return true, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var got budgetRecord
		if _, err := getJSON(ctx, kv, key, "race", &got); err != nil {
			t.Fatal(err)
		}
		want := map[bool]int{false: 15, true: 16}[existing]
		if got.Used != want || calls != 2 {
			t.Errorf("existing=%v: used %d after %d calls, want %d after 2 (the other writer's 10 kept, then ours)", existing, got.Used, calls, want)
		}
	}
}
