package demo

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/earshot/earshot/config"
)

// Every row of the networks table is replayed by the demo, and every demo
// entry is a row: adding a network without its demo source fails here.
func TestDemoCoversTable(t *testing.T) {
	for _, n := range config.Networks() {
		d, ok := demoNets[n.Name]
		if !ok {
			t.Errorf("network %q of the networks table has no entry in demoNets", n.Name)
			continue
		}
		// The demo gives every required secret, and only keys of the row.
		for _, k := range n.Secrets {
			if d.secrets[k] == "" {
				t.Errorf("demo %s: no value for the required secret %s", n.Name, k)
			}
		}
		for k := range d.secrets {
			if !slices.Contains(n.Secrets, k) && !slices.Contains(n.OptionalSecrets, k) {
				t.Errorf("demo %s: secret %s is not a secret key of the network", n.Name, k)
			}
		}
		// A network with a fake package of its own is served by it; the
		// networks the root replay serves have none in the demo.
		if own := n.Fake != "listener/replay"; own != (d.fake != nil) {
			t.Errorf("demo %s: fake set = %v, but the table names fake %s", n.Name, d.fake != nil, n.Fake)
		}
	}
	names := config.NetworkNames()
	for name := range demoNets {
		if !slices.Contains(names, name) {
			t.Errorf("demo entry %q is not a network of the networks table", name)
		}
	}
}

// The demo's secret variables follow demoEnv, and the generated config
// names each of them with the network's own key.
func TestDemoSecretNames(t *testing.T) {
	if got := demoEnv("naver", "client_id_env"); got != "EARSHOT_DEMO_NAVER_CLIENT_ID" {
		t.Errorf("demoEnv = %q", got)
	}
	rule := regexp.MustCompile(`^EARSHOT_DEMO_[A-Z]+_[A-Z_]+$`)
	want := 0
	for name, n := range demoNets {
		want += len(n.secrets)
		for k, v := range n.secrets {
			env := demoEnv(name, k)
			if !rule.MatchString(env) || demoSecrets[env] != v {
				t.Errorf("demo secret %s %s: variable %q holds %q, want %q", name, k, env, demoSecrets[env], v)
			}
		}
	}
	if len(demoSecrets) != want {
		t.Errorf("%d demo secrets, want %d: two keys share a variable", len(demoSecrets), want)
	}
	src, err := demoSources(sourceData{Base: "http://127.0.0.1:1", FeedURLs: []string{"http://127.0.0.1:1/rss/a.xml"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{`client_id_env = "EARSHOT_DEMO_NAVER_CLIENT_ID"`, `api_key_env = "EARSHOT_DEMO_DAUM_API_KEY"`,
		`base_url = "http://127.0.0.1:1/daum"`, `network = "daum"`} {
		if !strings.Contains(src, line) {
			t.Errorf("demo sources lack %s:\n%s", line, src)
		}
	}
	cfg, err := config.Parse([]byte("[earshot]\ncontact = \"https://example.com/x\"\n[[brand]]\nname = \"Acme\"\nown = true\n"+src),
		"demo.toml", demoGetenv(func(string) string { return "" }))
	if err != nil {
		t.Fatalf("demo sources do not parse: %v", err)
	}
	if len(cfg.Sources) != len(config.NetworkNames()) {
		t.Errorf("%d demo sources, want one per network (%d)", len(cfg.Sources), len(config.NetworkNames()))
	}
}
