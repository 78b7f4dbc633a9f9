package cluster

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"

	"github.com/earshot/earshot/config"
)

// TestComposeValidAndAgreesWithConfigs loads packaging/compose.yaml with
// compose-go (the loader `docker compose config` runs: schema, merge of
// the x-node anchor, interpolation) and checks each node service against
// its config file: the config mounted where the image's CMD reads it, a
// volume of its own at data_dir, the API port published on loopback, and
// a hostname the other nodes' routes name.
func TestComposeValidAndAgreesWithConfigs(t *testing.T) {
	env := func(k string) string {
		if k == "EARSHOT_API_TOKEN" {
			return "dGhpcyBpcyBhIHRlc3QgdG9rZW4gb2YgMzIgYnl0ZXMhIQ=="
		}
		return ""
	}
	opts, err := cli.NewProjectOptions([]string{"../packaging/compose.yaml"}, cli.WithName("earshot"),
		cli.WithEnv([]string{"EARSHOT_API_TOKEN=" + env("EARSHOT_API_TOKEN")}))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("compose.yaml does not load: %v", err)
	}
	if len(p.Services) != 3 {
		t.Fatalf("%d services, want 3", len(p.Services))
	}
	volumes := map[string]string{}
	for i := 1; i <= 3; i++ {
		name := fmt.Sprintf("node%d", i)
		s, ok := p.Services[name]
		if !ok {
			t.Fatalf("no service %s", name)
		}
		cfg, err := config.Load(fmt.Sprintf("../packaging/cluster/%s.toml", name), env)
		if err != nil {
			t.Fatal(err)
		}
		if s.Hostname != name || cfg.Cluster.NodeName != name {
			t.Errorf("%s: hostname %q, node_name %q", name, s.Hostname, cfg.Cluster.NodeName)
		}
		var cfgMounted, dataMounted bool
		for _, v := range s.Volumes {
			switch {
			case v.Type == "bind" && v.Target == "/etc/earshot/earshot.toml":
				cfgMounted = filepath.Base(v.Source) == name+".toml" && v.ReadOnly
			case v.Type == "volume" && v.Target == cfg.Earshot.DataDir:
				dataMounted = true
				if other, ok := volumes[v.Source]; ok {
					t.Errorf("%s and %s share volume %s", name, other, v.Source)
				}
				volumes[v.Source] = name
			}
		}
		if !cfgMounted || !dataMounted {
			t.Errorf("%s: config mounted read-only at the CMD's path %v, a volume at data_dir %s %v", name, cfgMounted, cfg.Earshot.DataDir, dataMounted)
		}
		_, apiPort, err := net.SplitHostPort(cfg.Earshot.Listen)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Ports) != 1 || strconv.Itoa(int(s.Ports[0].Target)) != apiPort || s.Ports[0].HostIP != "127.0.0.1" ||
			s.Ports[0].Published != strconv.Itoa(8090+i) {
			t.Errorf("%s: ports %+v, want 127.0.0.1:%d → %s (listen) only", name, s.Ports, 8090+i, apiPort)
		}
		if s.Environment["EARSHOT_API_TOKEN"] == nil || cfg.Earshot.APITokenEnv != "EARSHOT_API_TOKEN" {
			t.Errorf("%s: the API token does not reach the config", name)
		}
	}
}
