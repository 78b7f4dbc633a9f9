package cluster

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
)

// testCerts are PEM files made in the test: a CA and one certificate per
// node for 127.0.0.1 and localhost, signed by it.
type testCerts struct {
	ca        string
	cert, key []string
	otherCA   string // a CA that signed nothing here
}

func writePEM(t testing.TB, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

func newCA(t testing.TB, dir, name string) (*x509.Certificate, *ecdsa.PrivateKey, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(der)
	path := filepath.Join(dir, name+".pem")
	writePEM(t, path, "CERTIFICATE", der)
	return ca, key, path
}

func makeCerts(t testing.TB, nodes int) testCerts {
	t.Helper()
	dir := t.TempDir()
	ca, caKey, caPath := newCA(t, dir, "ca")
	_, _, other := newCA(t, dir, "other-ca")
	tc := testCerts{ca: caPath, otherCA: other}
	for i := range nodes {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(10 + i)), Subject: pkix.Name{CommonName: fmt.Sprintf("n%d", i)},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage:    x509.KeyUsageDigitalSignature,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kder, err := x509.MarshalECPrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		c, k := filepath.Join(dir, fmt.Sprintf("n%d.pem", i)), filepath.Join(dir, fmt.Sprintf("n%d-key.pem", i))
		writePEM(t, c, "CERTIFICATE", der)
		writePEM(t, k, "EC PRIVATE KEY", kder)
		tc.cert, tc.key = append(tc.cert, c), append(tc.key, k)
	}
	return tc
}

// TestTLSAndAuth: two embedded servers with TLS on client and route ports
// and a user and password form one cluster (their heartbeats cross the
// TLS routes); a client without TLS, with the wrong password or trusting
// another CA is refused, the last two with a clear error from Open.
func TestTLSAndAuth(t *testing.T) {
	t.Parallel() // with the other slow-to-refuse test, after the failover test
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	certs := makeCerts(t, 2)
	ps := freePorts(t, 4)
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.ErrorLevel)
	cfg := func(i int) config.Cluster {
		return config.Cluster{Embedded: true, Name: "t", NodeName: fmt.Sprintf("n%d", i), Listen: fmt.Sprintf("127.0.0.1:%d", ps[i]),
			ClusterListen: fmt.Sprintf("127.0.0.1:%d", ps[2+i]), Routes: []string{fmt.Sprintf("nats-route://127.0.0.1:%d", ps[3-i])},
			Replicas: 2, LeaseTTL: config.Duration(time.Second), User: "earshot", Password: "correct horse",
			TLSCert: certs.cert[i], TLSKey: certs.key[i], TLSCA: certs.ca}
	}
	nodes := make([]*Node, 2)
	errs := make([]error, 2)
	done := make(chan int)
	for i := range 2 {
		go func() {
			nodes[i], errs[i] = Open(ctx, Options{Cluster: cfg(i), DataDir: t.TempDir(), Hash: "h", Logger: log})
			done <- i
		}()
	}
	<-done
	<-done
	for i, err := range errs {
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		n := nodes[i]
		t.Cleanup(n.Close)
		rctx, rcancel := context.WithCancel(ctx)
		stopped := make(chan struct{})
		go func() { defer close(stopped); _ = n.Run(rctx) }()
		t.Cleanup(func() { rcancel(); <-stopped })
	}
	waitFor(ctx, t, "each node to see the other through the TLS routes", func() bool {
		for _, n := range nodes {
			if ms, err := n.members(ctx); err != nil || len(ms) != 2 {
				return false
			}
		}
		return true
	})
	url := fmt.Sprintf("nats://127.0.0.1:%d", ps[0])

	// No TLS: refused by the server.
	if nc, err := nats.Connect(url, nats.UserInfo("earshot", "correct horse"), nats.Timeout(2*time.Second)); err == nil {
		nc.Close()
		t.Error("a client without TLS was let in")
	}
	// An external node with the wrong password, or trusting another CA.
	for _, tt := range []struct {
		name string
		edit func(*config.Cluster)
		want string
	}{
		{"wrong password", func(c *config.Cluster) { c.Password = "wrong" }, "NATS refused this node's credentials"},
		{"token instead of the user", func(c *config.Cluster) { c.User, c.Password, c.Token = "", "", "s3cret" }, "NATS refused this node's credentials"},
		{"another CA", func(c *config.Cluster) { c.TLSCA = certs.otherCA }, "TLS with the NATS servers failed"},
	} {
		c := config.Cluster{NATSURLs: []string{url}, Name: "t", NodeName: "intruder", Replicas: 1, LeaseTTL: config.Duration(time.Second),
			User: "earshot", Password: "correct horse", TLSCA: certs.ca}
		tt.edit(&c)
		octx, ocancel := context.WithTimeout(ctx, 15*time.Second)
		n, err := Open(octx, Options{Cluster: c, DataDir: t.TempDir(), Hash: "h", Logger: log})
		ocancel()
		if err == nil {
			n.Close()
			t.Errorf("%s: joined", tt.name)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q, want it to say %q", tt.name, err, tt.want)
		}
	}
	// The right credentials through nats_urls join.
	c := config.Cluster{NATSURLs: []string{url}, Name: "t", NodeName: "friend", Replicas: 1, LeaseTTL: config.Duration(time.Second),
		User: "earshot", Password: "correct horse", TLSCA: certs.ca}
	n, err := Open(ctx, Options{Cluster: c, DataDir: t.TempDir(), Hash: "h", Logger: log})
	if err != nil {
		t.Fatalf("right credentials: %v", err)
	}
	n.Close()
}

// TestRouteRefusedSaysWhy: two embedded nodes whose routes refuse each
// other (one has a wrong password; one has a certificate, and a CA,
// the other does not trust) do not join, and their errors say why in
// the servers' words.
func TestRouteRefusedSaysWhy(t *testing.T) {
	t.Parallel()
	certs, strangers := makeCerts(t, 2), makeCerts(t, 2)
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.ErrorLevel)
	for _, tt := range []struct {
		name string
		edit func(*config.Cluster)
		want []string
	}{
		{"wrong password", func(c *config.Cluster) { c.Password = "wrong" }, []string{"authorization violation", "authentication error"}},
		{"a certificate another CA signed", func(c *config.Cluster) { // its own client still trusts its server
			c.TLSCert, c.TLSKey, c.TLSCA = strangers.cert[1], strangers.key[1], strangers.ca
		}, []string{"certificate signed by unknown authority", "bad certificate"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ps := freePorts(t, 4)
			cfg := func(i int) config.Cluster {
				return config.Cluster{Embedded: true, Name: "t", NodeName: fmt.Sprintf("n%d", i), Listen: fmt.Sprintf("127.0.0.1:%d", ps[i]),
					ClusterListen: fmt.Sprintf("127.0.0.1:%d", ps[2+i]), Routes: []string{fmt.Sprintf("nats-route://127.0.0.1:%d", ps[3-i])},
					Replicas: 2, LeaseTTL: config.Duration(time.Second), User: "earshot", Password: "correct horse",
					TLSCert: certs.cert[i], TLSKey: certs.key[i], TLSCA: certs.ca}
			}
			bad := cfg(1)
			tt.edit(&bad)
			errs := make(chan error, 2)
			ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
			defer cancel()
			for i, c := range []config.Cluster{cfg(0), bad} {
				go func() {
					n, err := Open(ctx, Options{Cluster: c, DataDir: t.TempDir(), Hash: "h", Logger: log})
					if err == nil {
						n.Close()
						err = fmt.Errorf("node %d joined", i)
					}
					errs <- err
				}()
			}
			var routes int
			for range 2 {
				err := <-errs
				msg := strings.ToLower(err.Error())
				if !strings.Contains(msg, "routes to the others fail") {
					t.Logf("a node's error does not name its routes: %v", err)
					continue
				}
				routes++
				if !strings.Contains(msg, tt.want[0]) && !strings.Contains(msg, tt.want[1]) {
					t.Errorf("error %q, want it to say %q or %q", err, tt.want[0], tt.want[1])
				}
			}
			if routes == 0 {
				t.Error("no node said its routes fail")
			}
		})
	}
}
