package cluster

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
)

// A node whose route or client port is taken fails to open and says
// which port and why, at once: the embedded server only logs it and goes
// on without that listener.
func TestOpenSaysPortTaken(t *testing.T) {
	ps := freePorts(t, 3)
	for _, tc := range []struct{ name, taken string }{
		{"route", fmt.Sprintf("127.0.0.1:%d", ps[1])},
		{"client", fmt.Sprintf("127.0.0.1:%d", ps[0])},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := net.Listen("tcp", tc.taken)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cfg := config.Cluster{Embedded: true, Name: "t", NodeName: "n0", Listen: fmt.Sprintf("127.0.0.1:%d", ps[0]),
				ClusterListen: fmt.Sprintf("127.0.0.1:%d", ps[1]), Routes: []string{fmt.Sprintf("nats-route://127.0.0.1:%d", ps[2])}, Replicas: 1, LeaseTTL: config.Duration(time.Second)}
			n, err := Open(ctx, Options{Cluster: cfg, DataDir: t.TempDir(), Hash: "h", Logger: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.ErrorLevel)})
			if err == nil {
				n.Close()
				t.Fatal("opened with its port taken")
			}
			port := tc.taken[strings.LastIndex(tc.taken, ":")+1:]
			if !strings.Contains(err.Error(), "address already in use") || !strings.Contains(err.Error(), port) {
				t.Errorf("error %q does not name the taken port %s", err, port)
			}
		})
	}
}
