package cluster

import (
	"context"
	"testing"
	"time"

	"github.com/earshot/earshot/alerts"
)

// TestSourceStatesFromLeaseHolder: a node that does not poll a source
// judges it by the state its lease holder publishes (failing since, last
// stored), not by its own idle view; after a failover, by the new holder.
func TestSourceStatesFromLeaseHolder(t *testing.T) {
	url := standalone(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, killA := openNode(t, url, "a", "h")
	b, _ := openNode(t, url, "b", "h")
	failing := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	stored := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	started := time.Date(2026, 12, 5, 7, 0, 0, 0, time.UTC)
	// What each node's scheduler says: the poller sees the failure and the
	// last mention it stored; the other only empty polls since it started.
	view := func(n *Node, name string) func() []alerts.SourceState {
		return func() []alerts.SourceState {
			s := alerts.SourceState{Name: "s1", Network: "rss", Started: started}
			if n.Holds(KindSource, "s1") {
				s.FailingSince, s.LastError, s.LastStored = failing, "http 503 at "+name, stored
			}
			return []alerts.SourceState{s}
		}
	}
	a.ReportSources(view(a, "a"))
	b.ReportSources(view(b, "b"))
	a.Want(KindSource, "s1")
	waitFor(ctx, t, "a holds s1", func() bool { return a.Holds(KindSource, "s1") })
	b.Want(KindSource, "s1")
	waitFor(ctx, t, "b reads a's view of s1", func() bool {
		got := b.SourceStates(ctx, view(b, "b")())
		return len(got) == 1 && got[0].FailingSince.Equal(failing) && got[0].LastStored.Equal(stored) && got[0].LastError == "http 503 at a"
	})
	// a's own view is its own.
	if got := a.SourceStates(ctx, view(a, "a")()); len(got) != 1 || got[0].LastError != "http 503 at a" {
		t.Errorf("a's view = %+v", got)
	}
	killA()
	waitFor(ctx, t, "b holds s1 and judges it itself", func() bool {
		got := b.SourceStates(ctx, view(b, "b")())
		return b.Holds(KindSource, "s1") && len(got) == 1 && got[0].LastError == "http 503 at b"
	})
}
