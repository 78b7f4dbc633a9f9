package cluster

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// TestNoDirectRebindsAHandleBoundBeforeAnotherNodeTurnedDirectOff: nodes
// starting together race: one binds a bucket while direct gets are on,
// another turns them off. The first must not keep asking for direct gets
// (no server answers them any more): noDirect binds again.
func TestNoDirectRebindsAHandleBoundBeforeAnotherNodeTurnedDirectOff(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n, _ := openNode(t, standalone(t), "a", "h")
	kv, err := n.js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "race"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Put(ctx, "k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	// Another node turns direct gets off after this one bound kv.
	st, err := n.js.Stream(ctx, "KV_race")
	if err != nil {
		t.Fatal(err)
	}
	cfg := st.CachedInfo().Config
	if !cfg.AllowDirect {
		t.Fatal("the bucket was made without direct gets: the race cannot be shown")
	}
	cfg.AllowDirect = false
	if _, err := n.js.UpdateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	sctx, scancel := context.WithTimeout(ctx, 5*time.Second)
	defer scancel()
	if _, err := kv.Get(sctx, "k"); err == nil {
		t.Fatal("the handle bound with direct gets still reads: the race cannot be shown")
	}
	got, err := n.noDirect(ctx, "race")
	if err != nil {
		t.Fatal(err)
	}
	gctx, gcancel := context.WithTimeout(ctx, 5*time.Second)
	defer gcancel()
	if e, err := got.Get(gctx, "k"); err != nil || string(e.Value()) != "v" {
		t.Fatalf("read through the handle noDirect returned: %v", err)
	}
}
