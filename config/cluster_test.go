package config

import (
	"reflect"
	"testing"
	"time"
)

func init() {
	goodChecks["cluster.good.toml"] = func(t *testing.T, c *Config) {
		cl := c.Cluster
		if !cl.Enabled() || cl.Name != DefaultClusterName || cl.NodeName != "a" || cl.Replicas != 3 ||
			cl.LeaseTTL.Std() != 5*time.Second || cl.ClusterListen != "0.0.0.0:6222" || len(cl.Routes) != 2 {
			t.Errorf("cluster = %+v", cl)
		}
	}
	badCases["cluster.bad.toml"] = []want{
		{7, 1, "cluster.nats_urls", "nats_urls and embedded = true exclude each other"},
		{7, 38, "cluster.nats_urls[1]", `invalid URL "http://10.0.0.2:4222": scheme must be [nats tls]`},
		{8, 1, "cluster.node_name", `invalid node name "node one"`},
		{9, 1, "cluster.listen", `invalid listen address "localhost"`},
		{10, 1, "cluster.routes", "routes need cluster_listen"},
		{10, 34, "cluster.routes[1]", `invalid URL "nats-route://c": want nats-route://host:port`},
		{11, 1, "cluster.replicas", "replicas 4 exceeds the 3 servers configured"},
		{12, 1, "cluster.lease_ttl", "lease_ttl must be at least 1s, got 500ms"},
	}
}

func TestClusterDefaults(t *testing.T) {
	tests := []struct {
		doc  string
		want Cluster
	}{
		{ownBrand, Cluster{}},
		{ownBrand + "[cluster]\nnats_urls = [\"nats://a:4222\"]\nnode_name = \"n1\"\n",
			Cluster{NATSURLs: []string{"nats://a:4222"}, Name: "earshot", NodeName: "n1", Replicas: 1, LeaseTTL: DefaultLeaseTTL,
				SnapshotEvery: DefaultSnapshotEvery}},
		{ownBrand + "[cluster]\nembedded = true\nnode_name = \"solo\"\n",
			Cluster{Embedded: true, Name: "earshot", NodeName: "solo", Listen: DefaultClusterListen, Replicas: 1, LeaseTTL: DefaultLeaseTTL,
				SnapshotEvery: DefaultSnapshotEvery}},
	}
	for _, tt := range tests {
		c, err := Parse([]byte(tt.doc), "t.toml", noEnv)
		if err != nil {
			t.Fatalf("%q: %v", tt.doc, err)
		}
		if !reflect.DeepEqual(c.Cluster, tt.want) {
			t.Errorf("%q: cluster = %+v, want %+v", tt.doc, c.Cluster, tt.want)
		}
	}
}

func TestClusterErrors(t *testing.T) {
	tests := []struct {
		doc  string
		want []want
	}{
		{ownBrand + "[cluster]\nnode_name = \"a\"\n", []want{{4, 2, "cluster", "neither nats_urls nor embedded = true"}}},
		{ownBrand + "[cluster]\nembedded = true\n", []want{{4, 2, "cluster", "a cluster node needs node_name"}}},
		{ownBrand + "[cluster]\nnats_urls = [\"nats://a:4222\"]\nnode_name = \"a\"\ncluster_listen = \"a:6222\"\n",
			[]want{{7, 1, "cluster.cluster_listen", "applies to an embedded server only"}}},
		{ownBrand + "[cluster]\nnats_urls = [\"tls://a:4222\"]\nnode_name = \"a\"\nuser = \"earshot\"\n",
			[]want{{7, 1, "cluster.user", "user needs password_env"}}},
		{ownBrand + "[cluster]\nnats_urls = [\"tls://a:4222\"]\nnode_name = \"a\"\npassword_env = \"NATS_PW\"\n",
			[]want{{7, 1, "cluster.password_env", "password_env needs user"}}},
		{ownBrand + "[cluster]\nnats_urls = [\"tls://a:4222\"]\nnode_name = \"a\"\nuser = \"e\"\npassword_env = \"NATS_PW\"\ntoken_env = \"NATS_TOKEN\"\n",
			[]want{{9, 1, "cluster.token_env", "token_env excludes user and password_env"}}},
		{ownBrand + "[cluster]\nnats_urls = [\"tls://a:4222\"]\nnode_name = \"a\"\nuser = \"e\"\npassword_env = \"UNSET_PW\"\n",
			[]want{{8, 1, "cluster.password_env", "environment variable UNSET_PW named by password_env is not set"}}},
		{ownBrand + "[cluster]\nnats_urls = [\"tls://a:4222\"]\nnode_name = \"a\"\ntoken_env = \"bad name\"\n",
			[]want{{7, 1, "cluster.token_env", `invalid environment variable name "bad name"`}}},
		{ownBrand + "[cluster]\nembedded = true\nnode_name = \"a\"\ntls_cert = \"/nonexistent/c.pem\"\n",
			[]want{{7, 1, "cluster.tls_cert", "tls_cert and tls_key go together"}}},
		{ownBrand + "[cluster]\nembedded = true\nnode_name = \"a\"\ntls_cert = \"/nonexistent/c.pem\"\ntls_key = \"/nonexistent/k.pem\"\n",
			[]want{{4, 2, "cluster.tls_ca", "an embedded server with tls_cert needs tls_ca"}, {7, 1, "cluster.tls_cert", "cannot load tls_cert and tls_key"}}},
		{ownBrand + "[cluster]\nnats_urls = [\"tls://a:4222\"]\nnode_name = \"a\"\ntls_ca = \"/nonexistent/ca.pem\"\n",
			[]want{{7, 1, "cluster.tls_ca", "cannot read tls_ca"}}},
		{ownBrand + "[cluster]\nembedded = true\nnode_name = \"a\"\nsnapshot_every = \"10s\"\n",
			[]want{{7, 1, "cluster.snapshot_every", "snapshot_every must be at least 1m, got 10s"}}},
		{ownBrand + "[cluster]\nuser = \"e\"\n", []want{{4, 2, "cluster", "neither nats_urls nor embedded = true"}}},
	}
	for _, tt := range tests {
		es := parseErrs(t, tt.doc, noEnv)
		checkErrors(t, es, "t.toml", tt.want)
	}
}

// TestClusterSecretsFromEnv: the password and the token are read from the
// environment variables named, never from the file.
func TestClusterSecretsFromEnv(t *testing.T) {
	env := func(k string) string { return map[string]string{"NATS_PW": " pw ", "NATS_TOKEN": "tok"}[k] }
	c, err := Parse([]byte(ownBrand+"[cluster]\nnats_urls = [\"tls://a:4222\"]\nnode_name = \"a\"\nuser = \"e\"\npassword_env = \"NATS_PW\"\n"), "t.toml", env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Cluster.Password != "pw" || c.Cluster.Token != "" || !c.Cluster.Auth() {
		t.Errorf("password %q token %q", c.Cluster.Password, c.Cluster.Token)
	}
	c, err = Parse([]byte(ownBrand+"[cluster]\nnats_urls = [\"tls://a:4222\"]\nnode_name = \"a\"\ntoken_env = \"NATS_TOKEN\"\n"), "t.toml", env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Cluster.Token != "tok" || c.Cluster.Password != "" || !c.Cluster.Auth() {
		t.Errorf("password %q token %q", c.Cluster.Password, c.Cluster.Token)
	}
}
