package store

import (
	"context"
	"testing"
	"time"
)

// ChangedSince on a real store: a commit changes the UTC days of what it
// writes and no other, a prune changes every day, and the answer is about
// changes after the number read, not at it.
func TestChangedSince(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	s, err := Open(t.TempDir(), Options{Clock: func() time.Time { return now }, NoIndexer: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	m := Mention{ID: "a", Network: "reddit", Kind: KindMention, Published: day(20).Add(23 * time.Hour), Brands: []string{"Acme"}, Text: "hello"}
	s0 := s.ModSeq()
	if _, err := s.Commit("t", []Mention{m}, nil); err != nil {
		t.Fatal(err)
	}
	s1 := s.ModSeq()
	if s1 <= s0 {
		t.Fatalf("a commit left ModSeq at %d", s1)
	}
	for _, c := range []struct {
		from, to time.Time
		since    uint64
		want     bool
	}{
		{day(20), day(21), s0, true},
		{day(20).Add(22 * time.Hour), day(20).Add(23 * time.Hour), s0, true}, // the same UTC day, another hour
		{day(21), day(22), s0, false},                                        // the day after
		{day(19), day(20), s0, false},                                        // the range ends where the day starts
		{day(1), day(30), s0, true},
		{day(20), day(21), s1, false}, // not after s1
		{day(20), day(20), s0, false}, // empty
	} {
		if got := s.ChangedSince(c.from, c.to, "", c.since); got != c.want {
			t.Errorf("ChangedSince(%s, %s, %d) = %v, want %v", c.from, c.to, c.since, got, c.want)
		}
	}
	if s.ChangedSince(day(20), day(21), KindOwned, s0) {
		t.Error("a stranger's mention counted as a change to owned posts")
	}
	r := Mention{ID: "r", Network: "reddit", Kind: KindOwned, ReplyTo: "a", Published: day(21).Add(time.Hour), Brands: []string{"Acme"}, Text: "on it"}
	if _, err := s.Commit("t", []Mention{r}, nil); err != nil {
		t.Fatal(err)
	}
	if !s.ChangedSince(day(21), day(22), KindOwned, s1) || s.ChangedSince(day(20), day(21), KindOwned, s1) {
		t.Error("an owned reply: want its own day changed for owned posts, not its parent's")
	}
	if _, err := s.Prune(context.Background(), day(1)); err != nil {
		t.Fatal(err)
	}
	if !s.ChangedSince(day(24), day(25), KindOwned, s1) {
		t.Error("a prune did not count as changing every day")
	}
}
