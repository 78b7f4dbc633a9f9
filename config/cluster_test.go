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
			Cluster{NATSURLs: []string{"nats://a:4222"}, Name: "earshot", NodeName: "n1", Replicas: 1, LeaseTTL: DefaultLeaseTTL}},
		{ownBrand + "[cluster]\nembedded = true\nnode_name = \"solo\"\n",
			Cluster{Embedded: true, Name: "earshot", NodeName: "solo", Listen: DefaultClusterListen, Replicas: 1, LeaseTTL: DefaultLeaseTTL}},
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
	}
	for _, tt := range tests {
		es := parseErrs(t, tt.doc, noEnv)
		checkErrors(t, es, "t.toml", tt.want)
	}
}
