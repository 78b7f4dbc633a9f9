package cluster

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/earshot/earshot/config"
)

// tlsTimeout is the TLS handshake timeout of the embedded server, seconds.
const tlsTimeout = 5

// routeUser is the route user when the cluster authenticates by token
// (routes take a user and password: the token is the password).
const routeUser = "earshot-route"

// secureServer applies [cluster] authentication and TLS to the embedded
// server's options: clients and routes must authenticate (user and
// password, or the token); with tls_cert both ports speak TLS only, and
// routes verify each other's certificates against tls_ca. Route URLs get
// the route credentials.
func secureServer(cfg config.Cluster, opts *server.Options) error {
	switch {
	case cfg.Token != "":
		opts.Authorization = cfg.Token
	case cfg.User != "":
		opts.Username, opts.Password = cfg.User, cfg.Password
	}
	if cfg.Auth() && opts.Cluster.Port != 0 {
		user, pass := cfg.User, cfg.Password
		if cfg.Token != "" {
			user, pass = routeUser, cfg.Token
		}
		opts.Cluster.Username, opts.Cluster.Password = user, pass
		for i, r := range opts.Routes {
			u := *r
			u.User = url.UserPassword(user, pass)
			opts.Routes[i] = &u
		}
	}
	if cfg.TLSCert == "" {
		return nil
	}
	tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: cfg.TLSCert, KeyFile: cfg.TLSKey, CaFile: cfg.TLSCA, Timeout: tlsTimeout})
	if err != nil {
		return fmt.Errorf("cluster tls: %w", err)
	}
	opts.TLS, opts.TLSConfig, opts.TLSTimeout = true, tc, tlsTimeout
	if opts.Cluster.Port != 0 {
		rc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: cfg.TLSCert, KeyFile: cfg.TLSKey, CaFile: cfg.TLSCA,
			Verify: true, Timeout: tlsTimeout})
		if err != nil {
			return fmt.Errorf("cluster route tls: %w", err)
		}
		rc.RootCAs = rc.ClientCAs // a route is client and server: it verifies the peer it dials with tls_ca too
		opts.Cluster.TLSConfig, opts.Cluster.TLSTimeout = rc, tlsTimeout
	}
	return nil
}

// clientOptions are a node's (or `earshot status`'s) connection options:
// its credentials, the CA it verifies servers with, its certificate.
func clientOptions(cfg config.Cluster) []nats.Option {
	var o []nats.Option
	switch {
	case cfg.Token != "":
		o = append(o, nats.Token(cfg.Token))
	case cfg.User != "":
		o = append(o, nats.UserInfo(cfg.User, cfg.Password))
	}
	if cfg.TLSCA != "" {
		o = append(o, nats.RootCAs(cfg.TLSCA))
	}
	if cfg.TLSCert != "" {
		o = append(o, nats.ClientCert(cfg.TLSCert, cfg.TLSKey))
	}
	return o
}

// refused turns a connection's last error into a clear, final one when the
// servers refused this node's credentials or certificates: retrying would
// not help.
func refused(nc *nats.Conn) error {
	if nc == nil {
		return nil
	}
	err := nc.LastError()
	if err == nil {
		return nil
	}
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	switch {
	case errors.Is(err, nats.ErrAuthorization) || errors.Is(err, nats.ErrAuthExpired) || errors.Is(err, nats.ErrAuthRevoked) ||
		strings.Contains(strings.ToLower(err.Error()), "authorization violation"):
		return fmt.Errorf("NATS refused this node's credentials (check [cluster] user and password_env, or token_env): %w", err)
	case errors.As(err, &ua) || errors.As(err, &hn) || errors.Is(err, nats.ErrSecureConnRequired) || errors.Is(err, nats.ErrSecureConnWanted):
		return fmt.Errorf("TLS with the NATS servers failed (check [cluster] tls_ca, tls_cert and tls_key): %w", err)
	}
	return nil
}

// permanent marks an error retry must not retry.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }
