package faults

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server serves a handler on a loopback address that can be taken down
// (connection refused) and brought back up on the same address.
type Server struct {
	// URL is "http://127.0.0.1:<port>", stable across Down and Up.
	URL string

	h    http.Handler
	addr string

	mu  sync.Mutex
	srv *http.Server
	wg  sync.WaitGroup
}

// Start serves h on a free loopback port.
func Start(h http.Handler) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faults: listen: %w", err)
	}
	s := &Server{h: h, addr: ln.Addr().String()}
	s.URL = "http://" + s.addr
	s.serve(ln)
	return s, nil
}

func (s *Server) serve(ln net.Listener) {
	srv := &http.Server{Handler: s.h, ReadHeaderTimeout: 5 * time.Second}
	s.srv = srv
	s.wg.Go(func() { _ = srv.Serve(ln) })
}

// Down closes the listener and every open connection: new requests are
// refused until Up. Handlers still running (a Hang) see their requests'
// contexts cancelled.
func (s *Server) Down() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv == nil {
		return nil
	}
	err := s.srv.Close()
	s.srv = nil
	s.wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Up listens again on the same address. It is a no-op when already up.
func (s *Server) Up() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return nil
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", s.addr)
	if err != nil {
		return fmt.Errorf("faults: listen again on %s: %w", s.addr, err)
	}
	s.serve(ln)
	return nil
}

// Close takes the server down for good.
func (s *Server) Close() error { return s.Down() }
