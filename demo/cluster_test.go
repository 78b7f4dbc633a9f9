package demo

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/daemon"
)

// TestDemoCluster runs `earshot demo -nodes 3` in-process: three daemons
// with embedded NATS servers (JetStream, R3) on loopback share the demo's
// sources by lease, and every node stores and answers the same.
func TestDemoCluster(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ds, stop, err := SetupCluster(3, t.TempDir(), daemon.Options{Logger: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	runCtx, stopRun := context.WithCancel(ctx)
	done := make(chan error, len(ds))
	for _, d := range ds {
		go func() { done <- d.Run(runCtx) }()
	}
	defer func() {
		stopRun()
		for range ds {
			if err := <-done; err != nil {
				t.Error(err)
			}
		}
	}()
	if err := WaitConverged(ctx, ds); err != nil {
		t.Fatal(err)
	}
	st, err := ds[0].Cluster().Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	holders := map[string]bool{}
	for _, l := range st.Leases {
		holders[l.Node] = true
	}
	if len(st.Nodes) != 3 || len(holders) != 3 {
		t.Errorf("nodes %+v, lease holders %v: want 3 nodes sharing the leases", st.Nodes, holders)
	}
	for _, d := range ds {
		if n := d.Store().Stats().Mentions; n != st.Messages || n == 0 {
			t.Errorf("%s stores %d mentions, the stream holds %d", d.Cluster().Name(), n, st.Messages)
		}
	}
	var out bytes.Buffer
	if err := printCluster(ctx, &out, ds); err != nil {
		t.Fatal(err)
	}
	var answers []string
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "  node") && strings.Contains(line, "mentions, newest") {
			_, after, _ := strings.Cut(line, "mentions")
			f := strings.Fields(line)
			answers = append(answers, f[2]+after)
		}
	}
	if len(answers) != 3 || answers[0] != answers[1] || answers[1] != answers[2] || strings.HasPrefix(answers[0], "0") {
		t.Errorf("answers differ or are empty: %q\n%s", answers, out.String())
	}
}
