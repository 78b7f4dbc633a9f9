package cluster

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earshot/earshot/config"
)

const hashBase = `[earshot]
data_dir = "/var/lib/earshot/a"
listen = "127.0.0.1:8089"

[[brand]]
name = "Acme"
own = true

[cluster]
embedded = true
node_name = "a"
listen = "127.0.0.1:4222"
cluster_listen = "127.0.0.1:6222"
routes = ["nats-route://b:6222", "nats-route://c:6222"]
`

func hashOf(t *testing.T, doc string) string {
	t.Helper()
	c, err := config.Parse([]byte(doc), "t.toml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	h, err := Hash(c)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestHashIgnoresExactlyTheNodeLocalKeys: changing any key listed in
// config.NodeLocalKeys keeps the hash; changing a shared key changes it.
func TestHashIgnoresExactlyTheNodeLocalKeys(t *testing.T) {
	certs := makeCerts(t, 2)
	hashBase := hashBase + fmt.Sprintf("tls_cert = %q\ntls_key = %q\ntls_ca = %q\n", certs.cert[0], certs.key[0], certs.ca)
	base := hashOf(t, hashBase)
	// The same pair under other paths: a node's files, elsewhere.
	copyOf := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		q := filepath.Join(t.TempDir(), filepath.Base(p))
		if err := os.WriteFile(q, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return q
	}
	local := map[string][2]string{
		"earshot.data_dir":       {`data_dir = "/var/lib/earshot/a"`, `data_dir = "/srv/b"`},
		"earshot.listen":         {`listen = "127.0.0.1:8089"`, `listen = "127.0.0.1:8090"`},
		"cluster.node_name":      {`node_name = "a"`, `node_name = "b"`},
		"cluster.listen":         {`listen = "127.0.0.1:4222"`, `listen = "127.0.0.1:4223"`},
		"cluster.cluster_listen": {`cluster_listen = "127.0.0.1:6222"`, `cluster_listen = "127.0.0.1:6223"`},
		"cluster.routes":         {`routes = ["nats-route://b:6222", "nats-route://c:6222"]`, `routes = ["nats-route://a:6222", "nats-route://c:6222"]`},
		"cluster.tls_cert":       {fmt.Sprintf("tls_cert = %q", certs.cert[0]), fmt.Sprintf("tls_cert = %q", copyOf(certs.cert[0]))},
		"cluster.tls_key":        {fmt.Sprintf("tls_key = %q", certs.key[0]), fmt.Sprintf("tls_key = %q", copyOf(certs.key[0]))},
	}
	if len(local) != len(config.NodeLocalKeys) {
		t.Fatalf("test covers %d keys, config.NodeLocalKeys lists %d", len(local), len(config.NodeLocalKeys))
	}
	for _, k := range config.NodeLocalKeys {
		r, ok := local[k]
		if !ok {
			t.Fatalf("no case for node-local key %s", k)
		}
		if h := hashOf(t, strings.Replace(hashBase, r[0], r[1], 1)); h != base {
			t.Errorf("changing %s changed the hash", k)
		}
	}
	for _, shared := range [][2]string{
		{`name = "Acme"`, `name = "Acme"
terms = ["ACME Corp"]`},
		{"embedded = true", "embedded = true\nlease_ttl = \"5s\""},
		{`[earshot]`, "[earshot]\ntimezone = \"Asia/Seoul\""},
	} {
		if h := hashOf(t, strings.Replace(hashBase, shared[0], shared[1], 1)); h == base {
			t.Errorf("changing %q kept the hash", shared[1])
		}
	}
}
