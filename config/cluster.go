package config

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
)

// Cluster defaults and bounds.
const (
	DefaultClusterName     = "earshot"
	DefaultClusterListen   = "127.0.0.1:4222" // the embedded server's client port
	DefaultLeaseTTL        = Duration(10 * 1e9)
	MinLeaseTTL            = Duration(1e9)
	MaxClusterReplicas     = 5
	DefaultClusterReplicas = 3 // capped by the number of servers
)

var nodeNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Cluster is the [cluster] section: several Earshot nodes sharing sources,
// mentions and the digest through NATS JetStream (see docs/cluster.md).
// Without nats_urls and without embedded = true Earshot runs alone, as
// before, and nothing here is used.
type Cluster struct {
	// NATSURLs are the client URLs of an existing NATS cluster with
	// JetStream ("nats://10.0.0.1:4222").
	NATSURLs []string `toml:"nats_urls"`
	// Embedded runs a NATS server (JetStream on, its store under
	// data_dir/nats) inside this node, joined to the others by Routes.
	Embedded bool `toml:"embedded"`
	// Name is the NATS cluster name; default "earshot".
	Name string `toml:"name"`
	// NodeName names this node: letters, digits, _ and -. Required.
	NodeName string `toml:"node_name"`
	// Listen is the embedded server's client address (default
	// 127.0.0.1:4222); ClusterListen its route address, required with
	// Routes; Routes the other nodes' route URLs ("nats-route://b:6222").
	Listen        string   `toml:"listen"`
	ClusterListen string   `toml:"cluster_listen"`
	Routes        []string `toml:"routes"`
	// Replicas is how many servers hold each stream and bucket: default 3,
	// capped by the number of servers (embedded: 1 + routes; external:
	// the nats_urls listed).
	Replicas int `toml:"replicas"`
	// LeaseTTL is how long a lease outlives its holder's last renewal:
	// the longest a dead node's sources wait. Default 10s, at least 1s.
	LeaseTTL Duration `toml:"lease_ttl"`
}

// Enabled reports whether the node runs in a cluster.
func (c Cluster) Enabled() bool { return c.Embedded || len(c.NATSURLs) > 0 }

// NodeLocalKeys are the keys that may differ between the nodes of one
// cluster; every other key is covered by the config hash (cluster.Hash)
// and must be the same on every node.
var NodeLocalKeys = []string{
	"earshot.data_dir", "earshot.listen",
	"cluster.node_name", "cluster.listen", "cluster.cluster_listen", "cluster.routes",
}

// cluster validates the [cluster] section and fills its defaults.
func (v *validator) cluster(cl *Cluster) {
	c := v.c
	if !cl.Enabled() {
		if cl.NodeName != "" || cl.Listen != "" || cl.ClusterListen != "" || len(cl.Routes) > 0 {
			c.at("cluster", "cluster settings given but neither nats_urls nor embedded = true: set one to run in a cluster")
		}
		return
	}
	if cl.Embedded && len(cl.NATSURLs) > 0 {
		c.at("cluster.nats_urls", "nats_urls and embedded = true exclude each other: an embedded node connects to its own server")
	}
	if cl.Name == "" {
		cl.Name = DefaultClusterName
	} else if !nodeNameRE.MatchString(cl.Name) {
		c.at("cluster.name", "invalid cluster name %q: want 1-64 letters, digits, _ or -", truncate(cl.Name, 40))
	}
	switch {
	case cl.NodeName == "" && !c.failed("cluster.node_name"):
		c.at("cluster", "a cluster node needs node_name (unique per node)")
	case cl.NodeName != "" && !nodeNameRE.MatchString(cl.NodeName):
		c.at("cluster.node_name", "invalid node name %q: want 1-64 letters, digits, _ or -", truncate(cl.NodeName, 40))
	}
	for i, u := range cl.NATSURLs {
		if err := checkNATSURL(u, "nats", "tls"); err != nil {
			c.at(indexKey("cluster.nats_urls", i), "%v", err)
		}
	}
	servers := len(cl.NATSURLs)
	if cl.Embedded {
		if cl.Listen == "" {
			cl.Listen = DefaultClusterListen
		} else if _, err := checkListen(cl.Listen); err != nil {
			c.at("cluster.listen", "%v", err)
		}
		if cl.ClusterListen != "" {
			if _, err := checkListen(cl.ClusterListen); err != nil {
				c.at("cluster.cluster_listen", "%v", err)
			}
		} else if len(cl.Routes) > 0 {
			c.at("cluster.routes", "routes need cluster_listen, the address other nodes route to")
		}
		for i, r := range cl.Routes {
			if err := checkNATSURL(r, "nats-route", "nats"); err != nil {
				c.at(indexKey("cluster.routes", i), "%v", err)
			}
		}
		servers = 1 + len(cl.Routes)
	} else {
		for _, k := range []string{"listen", "cluster_listen", "routes"} {
			if c.ix.has("cluster." + k) {
				c.at("cluster."+k, "%s applies to an embedded server only (embedded = true)", k)
			}
		}
	}
	switch {
	case cl.Replicas == 0:
		cl.Replicas = min(DefaultClusterReplicas, max(servers, 1))
	case cl.Replicas < 1 || cl.Replicas > MaxClusterReplicas:
		c.at("cluster.replicas", "replicas must be 1 to %d, got %d", MaxClusterReplicas, cl.Replicas)
	case cl.Replicas > servers:
		c.at("cluster.replicas", "replicas %d exceeds the %d servers configured", cl.Replicas, servers)
	}
	switch {
	case cl.LeaseTTL == 0:
		cl.LeaseTTL = DefaultLeaseTTL
	case cl.LeaseTTL < MinLeaseTTL:
		c.at("cluster.lease_ttl", "lease_ttl must be at least 1s, got %s", cl.LeaseTTL.Std())
	}
}

// checkNATSURL accepts scheme://host:port with one of schemes.
func checkNATSURL(s string, schemes ...string) error {
	u, err := url.Parse(s)
	bad := fmt.Errorf("invalid URL %q: want %s://host:port", truncate(s, 60), schemes[0])
	if err != nil || u.Host == "" {
		return bad
	}
	ok := false
	for _, sc := range schemes {
		ok = ok || u.Scheme == sc
	}
	if !ok {
		return fmt.Errorf("invalid URL %q: scheme must be %v", truncate(s, 60), schemes)
	}
	_, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		return bad
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("invalid URL %q: port must be 1 to 65535", truncate(s, 60))
	}
	return nil
}
