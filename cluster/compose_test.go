package cluster

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"

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
	p := loadCompose(t, []string{"EARSHOT_API_TOKEN=" + env("EARSHOT_API_TOKEN")}, "../packaging/compose.yaml")
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

// loadCompose loads compose files as `docker compose -f … -f … config`
// does (the later files override the earlier).
func loadCompose(t *testing.T, env []string, files ...string) *types.Project {
	t.Helper()
	opts, err := cli.NewProjectOptions(files, cli.WithName("earshot"), cli.WithEnv(env))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("%v do not load: %v", files, err)
	}
	return p
}

// TestComposeTLSExample checks the TLS example end to end but for Docker:
// make-certs.sh makes a CA and node certificates (openssl); each
// cluster/tls/nodeN.toml loads with them (the pair loads, the CA reads)
// and is its plain nodeN.toml plus the authentication and TLS keys (same
// hash with them removed); each certificate verifies against the CA for
// the host the routes dial and for 127.0.0.1, as server and as client;
// compose.yaml with compose.tls.yaml mounts that config, the certificates
// where the config reads them, and passes the password it names.
func TestComposeTLSExample(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatalf("packaging/cluster/tls/make-certs.sh needs openssl, not found: %v", err)
	}
	dir := t.TempDir()
	cmd := exec.Command("bash", "../packaging/cluster/tls/make-certs.sh", dir)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(openssl)+":"+os.Getenv("PATH"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make-certs.sh: %v\n%s", err, out)
	}
	const token = "dGhpcyBpcyBhIHRlc3QgdG9rZW4gb2YgMzIgYnl0ZXMhIQ=="
	env := func(k string) string {
		return map[string]string{"EARSHOT_API_TOKEN": token, "NATS_PASSWORD": "correct horse"}[k]
	}
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		t.Fatal("ca.pem holds no certificate")
	}
	p := loadCompose(t, []string{"EARSHOT_API_TOKEN=" + token, "NATS_PASSWORD=correct horse"},
		"../packaging/compose.yaml", "../packaging/compose.tls.yaml")
	var hashes []string
	for i := 1; i <= 3; i++ {
		name := fmt.Sprintf("node%d", i)
		b, err := os.ReadFile(fmt.Sprintf("../packaging/cluster/tls/%s.toml", name))
		if err != nil {
			t.Fatal(err)
		}
		const certDir = "/etc/earshot/tls"
		cfg, err := config.Parse([]byte(strings.ReplaceAll(string(b), certDir+"/", dir+"/")), name+".toml", env)
		if err != nil {
			t.Fatalf("tls/%s.toml with make-certs.sh's files: %v", name, err)
		}
		cl := cfg.Cluster
		if cl.User == "" || cl.Password != "correct horse" || cl.PasswordEnv != "NATS_PASSWORD" || cl.TLSCert == "" || cl.TLSKey == "" || cl.TLSCA == "" {
			t.Errorf("%s: authentication or TLS missing: %+v", name, cl)
		}
		h, err := Hash(cfg)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
		plain, err := config.Load(fmt.Sprintf("../packaging/cluster/%s.toml", name), env)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Cluster.User, cfg.Cluster.PasswordEnv, cfg.Cluster.Password = "", "", ""
		cfg.Cluster.TLSCert, cfg.Cluster.TLSKey, cfg.Cluster.TLSCA = "", "", ""
		if h1, _ := Hash(cfg); h1 != mustHash(t, plain) || cfg.Cluster.NodeName != plain.Cluster.NodeName {
			t.Errorf("tls/%s.toml is not %s.toml plus authentication and TLS", name, name)
		}
		// The certificate: for the routes' host and the node's own connection.
		pair, err := tls.LoadX509KeyPair(cl.TLSCert, cl.TLSKey)
		if err != nil {
			t.Fatal(err)
		}
		leaf, err := x509.ParseCertificate(pair.Certificate[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, host := range []string{name, "127.0.0.1"} {
			for _, use := range []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth} {
				if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: host, KeyUsages: []x509.ExtKeyUsage{use}}); err != nil {
					t.Errorf("%s's certificate for %s (usage %v): %v", name, host, use, err)
				}
			}
		}
		// The compose service: this config, the certificates where it reads them, the password.
		s := p.Services[name]
		var cfgSrc, certSrc string
		for _, v := range s.Volumes {
			if v.Type == "bind" && v.ReadOnly {
				switch v.Target {
				case "/etc/earshot/earshot.toml":
					cfgSrc = v.Source
				case certDir:
					certSrc = v.Source
				}
			}
		}
		if !strings.HasSuffix(cfgSrc, filepath.Join("packaging", "cluster", "tls", name+".toml")) {
			t.Errorf("%s: config mounted from %q, want cluster/tls/%s.toml", name, cfgSrc, name)
		}
		if !strings.HasSuffix(certSrc, filepath.Join("packaging", "cluster", "tls", "certs")) {
			t.Errorf("%s: certificates mounted from %q, want make-certs.sh's default directory", name, certSrc)
		}
		if !strings.Contains(string(b), `tls_cert = "`+certDir+"/"+name+`.pem"`) {
			t.Errorf("%s: tls_cert is not in the mounted %s", name, certDir)
		}
		if v := s.Environment[cl.PasswordEnv]; v == nil || *v != "correct horse" {
			t.Errorf("%s: %s does not reach the node", name, cl.PasswordEnv)
		}
	}
	if hashes[0] != hashes[1] || hashes[1] != hashes[2] {
		t.Errorf("the TLS configs' hashes differ: %v", hashes)
	}
}

func mustHash(t *testing.T, c *config.Config) string {
	t.Helper()
	h, err := Hash(c)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
