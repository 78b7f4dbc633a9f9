package daemon

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

type fakePruner struct {
	mu   sync.Mutex
	cuts []time.Time
}

func (f *fakePruner) Prune(_ context.Context, before time.Time) (store.PruneResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cuts = append(f.cuts, before)
	return store.PruneResult{}, nil
}

func (f *fakePruner) calls() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.cuts...)
}

func TestRetentionLoop(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	cfg := &config.Config{Earshot: config.Earshot{Retention: config.Duration(400 * 24 * time.Hour)}}
	p := &fakePruner{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		retentionLoop(ctx, p, func() *config.Config { return cfg }, zerolog.Nop(), clock, time.Millisecond, time.Millisecond)
		close(done)
	}()
	for len(p.calls()) < 2 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	if c := p.calls()[0]; !c.Equal(now.Add(-400 * 24 * time.Hour)) {
		t.Fatalf("cut-off %s", c)
	}
	// Without retention nothing is pruned; a cancelled daemon stops the loop.
	q := &fakePruner{}
	pruneOnce(context.Background(), q, &config.Config{}, zerolog.Nop(), clock)
	runRetention(ctx, q, func() *config.Config { return cfg }, zerolog.Nop(), clock)
	if len(q.calls()) != 0 {
		t.Fatalf("pruned without retention: %v", q.calls())
	}
}
