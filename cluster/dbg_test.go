package cluster

import (
	"context"
	"testing"
	"time"
)

func TestDbg(t *testing.T) {
	c := newTestCluster(t, counters(1, 5, 10))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := c.nodes[0].node.Status(ctx)
	t.Logf("%+v %v", st, err)
}
