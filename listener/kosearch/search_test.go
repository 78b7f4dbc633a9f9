package kosearch

import (
	"context"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
)

// TestOverlap: a later read keeps results up to Overlap (48 hours) older
// than the newest date already seen, and stops at the first one older.
func TestOverlap(t *testing.T) {
	newest := time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)
	item := func(id string, age time.Duration) Item {
		return Item{Post: listener.Post{NativeID: id}, Latest: newest.Add(-age)}
	}
	page := []Item{
		item("a", -time.Hour),   // newer than anything seen
		item("b", 24*time.Hour), // late-indexed, inside the overlap
		item("c", 47*time.Hour), // still inside
		item("d", 49*time.Hour), // past the overlap: stop
		item("e", 50*time.Hour), // not reached
	}
	calls := 0
	posts, st, err := Search{
		Old:        &State{Newest: newest, Seen: []string{"old"}},
		Pages:      3,
		FirstPages: 3,
		Page: func(context.Context, int) ([]Item, bool, error) {
			calls++
			return page, true, nil
		},
	}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range posts {
		ids = append(ids, p.NativeID)
	}
	if len(ids) != 3 || ids[0] != "a" || ids[1] != "b" || ids[2] != "c" || calls != 1 {
		t.Fatalf("posts %v after %d calls, want [a b c] after 1", ids, calls)
	}
	if !st.Newest.Equal(newest.Add(time.Hour)) || len(st.Seen) != 4 || st.Seen[0] != "old" || st.Seen[3] != "a" {
		t.Fatalf("state %+v", st)
	}
}
