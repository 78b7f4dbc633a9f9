package config

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Cluster defaults and bounds.
const (
	DefaultClusterName     = "earshot"
	DefaultClusterListen   = "127.0.0.1:4222" // the embedded server's client port
	DefaultLeaseTTL        = Duration(10 * 1e9)
	MinLeaseTTL            = Duration(1e9)
	MaxClusterReplicas     = 5
	DefaultClusterReplicas = 3 // capped by the number of servers
	DefaultSnapshotEvery   = Duration(6 * 3600 * 1e9)
	MinSnapshotEvery       = Duration(60 * 1e9)
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
	// SnapshotEvery is how often one node puts a snapshot of its store
	// into JetStream's object store, from which a new or wiped node
	// restores before following the stream. Default 6h, at least 1m.
	SnapshotEvery Duration `toml:"snapshot_every"`
	// User with PasswordEnv, or TokenEnv alone, authenticate to NATS: the
	// embedded server requires them of clients and of the other nodes'
	// routes; a node presents them. Secrets come from the environment.
	User        string `toml:"user"`
	PasswordEnv string `toml:"password_env"`
	TokenEnv    string `toml:"token_env"`
	Password    string `toml:"-" json:"-"` // resolved from PasswordEnv
	Token       string `toml:"-" json:"-"` // resolved from TokenEnv
	// TLSCert and TLSKey are this node's certificate and key (PEM; node-
	// local): the embedded server's on its client and route ports, and the
	// client certificate a node presents. TLSCA is the CA (PEM) that signed
	// the servers' certificates: routes verify each other with it, and a
	// node verifies its servers with it (the system roots without it).
	TLSCert string `toml:"tls_cert"`
	TLSKey  string `toml:"tls_key"`
	TLSCA   string `toml:"tls_ca"`
}

// Auth reports whether NATS authentication is configured.
func (c Cluster) Auth() bool { return c.User != "" || c.Token != "" }

// TLS reports whether TLS is configured.
func (c Cluster) TLS() bool { return c.TLSCert != "" || c.TLSCA != "" }

// Enabled reports whether the node runs in a cluster.
func (c Cluster) Enabled() bool { return c.Embedded || len(c.NATSURLs) > 0 }

// NodeLocalKeys are the keys that may differ between the nodes of one
// cluster; every other key is covered by the config hash (cluster.Hash)
// and must be the same on every node.
var NodeLocalKeys = []string{
	"earshot.data_dir", "earshot.listen",
	"cluster.node_name", "cluster.listen", "cluster.cluster_listen", "cluster.routes",
	"cluster.tls_cert", "cluster.tls_key",
}

// cluster validates the [cluster] section and fills its defaults.
func (v *validator) cluster(cl *Cluster) {
	c := v.c
	if !cl.Enabled() {
		if cl.NodeName != "" || cl.Listen != "" || cl.ClusterListen != "" || len(cl.Routes) > 0 || cl.User != "" ||
			cl.PasswordEnv != "" || cl.TokenEnv != "" || cl.TLSCert != "" || cl.TLSKey != "" || cl.TLSCA != "" {
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
	v.clusterSecurity(cl)
	switch {
	case cl.SnapshotEvery == 0:
		cl.SnapshotEvery = DefaultSnapshotEvery
	case cl.SnapshotEvery < MinSnapshotEvery:
		c.at("cluster.snapshot_every", "snapshot_every must be at least 1m, got %s", cl.SnapshotEvery.Std())
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

// clusterSecurity validates authentication and TLS: user goes with
// password_env, token_env with neither; tls_cert with tls_key, both
// loading as a pair; tls_ca loading as PEM certificates, required with an
// embedded server's certificate (routes verify each other against it).
func (v *validator) clusterSecurity(cl *Cluster) {
	c := v.c
	secret := func(key, env string) string {
		if !validEnvName(env) {
			c.at("cluster."+key, "invalid environment variable name %q: want letters, digits and _", truncate(env, 40))
			return ""
		}
		val := strings.TrimSpace(v.getenv(env))
		if val == "" {
			c.at("cluster."+key, "missing secret: environment variable %s named by %s is not set", env, key)
		}
		return val
	}
	switch {
	case cl.TokenEnv != "" && (cl.User != "" || cl.PasswordEnv != ""):
		c.at("cluster.token_env", "token_env excludes user and password_env: authenticate with one or the other")
	case cl.TokenEnv != "":
		cl.Token = secret("token_env", cl.TokenEnv)
	case cl.User != "" && cl.PasswordEnv == "":
		c.at("cluster.user", "user needs password_env, the environment variable holding the password")
	case cl.PasswordEnv != "" && cl.User == "":
		c.at("cluster.password_env", "password_env needs user")
	case cl.User != "":
		if strings.ContainsAny(cl.User, ":@/ ") {
			c.at("cluster.user", "invalid user %q: no ':', '@', '/' or spaces", truncate(cl.User, 40))
		}
		cl.Password = secret("password_env", cl.PasswordEnv)
	}
	switch {
	case (cl.TLSCert == "") != (cl.TLSKey == ""):
		c.at("cluster.tls_cert", "tls_cert and tls_key go together")
	case cl.TLSCert != "":
		if _, err := tls.LoadX509KeyPair(cl.TLSCert, cl.TLSKey); err != nil {
			c.at("cluster.tls_cert", "cannot load tls_cert and tls_key: %v", err)
		}
		if cl.Embedded && cl.TLSCA == "" {
			c.at("cluster.tls_ca", "an embedded server with tls_cert needs tls_ca: its routes verify each other against it")
		}
	}
	if cl.TLSCA != "" {
		if b, err := os.ReadFile(cl.TLSCA); err != nil {
			c.at("cluster.tls_ca", "cannot read tls_ca: %v", err)
		} else if !x509.NewCertPool().AppendCertsFromPEM(b) {
			c.at("cluster.tls_ca", "tls_ca %s holds no PEM certificate", truncate(cl.TLSCA, 60))
		}
	}
	if cl.Embedded && cl.TLSCA != "" && cl.TLSCert == "" {
		c.at("cluster.tls_cert", "an embedded server with tls_ca needs tls_cert and tls_key, its own certificate")
	}
}
