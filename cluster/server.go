package cluster

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/earshot/earshot/config"
)

// StartServer starts the embedded NATS server of cfg (JetStream on, store
// under dataDir/nats, server name = node name) and waits until it accepts
// clients. The caller shuts it down.
func StartServer(cfg config.Cluster, dataDir string) (*server.Server, error) {
	return startServer(cfg, dataDir, nil)
}

// startServer is StartServer with the server's logger (nil: none).
func startServer(cfg config.Cluster, dataDir string, log *natsLog) (*server.Server, error) {
	host, port, err := splitHostPort(cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("cluster listen: %w", err)
	}
	opts := &server.Options{
		ServerName: cfg.NodeName,
		Host:       host,
		Port:       port,
		JetStream:  true,
		StoreDir:   filepath.Join(dataDir, "nats"),
		NoSigs:     true,
		NoLog:      true,
	}
	if port == 0 {
		opts.Port = server.RANDOM_PORT
	}
	if cfg.ClusterListen != "" {
		ch, cp, err := splitHostPort(cfg.ClusterListen)
		if err != nil {
			return nil, fmt.Errorf("cluster cluster_listen: %w", err)
		}
		if cp == 0 {
			cp = server.RANDOM_PORT
		}
		opts.Cluster = server.ClusterOpts{Name: cfg.Name, Host: ch, Port: cp}
		for _, r := range cfg.Routes {
			u, err := url.Parse(r)
			if err != nil {
				return nil, fmt.Errorf("cluster route %q: %w", r, err)
			}
			opts.Routes = append(opts.Routes, u)
		}
	}
	if err := secureServer(cfg, opts); err != nil {
		return nil, err
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded nats server: %w", err)
	}
	if log != nil {
		s.SetLogger(log, false, false)
	}
	go s.Start()
	// In steps, so that a port already taken fails at once and says so
	// (the server logs it and goes on without that listener).
	for end := time.Now().Add(30 * time.Second); ; {
		if s.ReadyForConnections(100 * time.Millisecond) {
			return s, nil
		}
		if msg := log.bindError(); msg != "" {
			s.Shutdown()
			return nil, fmt.Errorf("embedded nats server: %s", strings.TrimPrefix(msg, "Error "))
		}
		if time.Now().After(end) {
			s.Shutdown()
			return nil, errors.New("embedded nats server: not ready after 30s")
		}
	}
}

func splitHostPort(addr string) (string, int, error) {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, fmt.Errorf("port %q: %w", p, err)
	}
	if h == "" {
		h = "0.0.0.0"
	}
	return h, n, nil
}
