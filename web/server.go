package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web/metrics"
)

// Searcher is what the API reads mentions through; *store.Store implements it.
type Searcher interface {
	Search(ctx context.Context, req store.SearchRequest) (*store.SearchResult, error)
	Get(id string) (store.Mention, bool, error)
	// SearchEach walks every mention a request selects (exports).
	SearchEach(ctx context.Context, req store.SearchRequest, limit int, fn func(store.Mention) error) (int, error)
}

// StatsReporter reports store-wide counts; *store.Store implements it.
type StatsReporter interface {
	Stats() store.Stats
}

// HealthReporter reports per-source health; the daemon adapts its
// scheduler's health to this view.
type HealthReporter interface {
	Health() []metrics.SourceHealth
}

// Options configure a Server.
type Options struct {
	Searcher Searcher
	Health   HealthReporter // may be nil (no sources running)
	Stats    StatsReporter  // may be nil
	Logger   zerolog.Logger
	Clock    func() time.Time
	// Zone returns the configured time zone (it may change on a reload):
	// search dates and presets are its days, as in the report. Nil = UTC.
	Zone func() *time.Location
	// Brands and Networks are the configured names, used to reject unknown
	// filter values with a helpful message instead of an empty result.
	// SetNames replaces them after a config reload.
	Brands   []string
	Networks []string
	Version  string

	// Token, when not empty, is required on every request except /healthz,
	// /login and /static/: "Authorization: Bearer <token>" or the session
	// cookie the login form sets. SetToken replaces it after a reload.
	Token string
	// Metrics records HTTP latency and serves GET /metrics; may be nil.
	Metrics *metrics.Registry
	// Config reports the running config and the last reload error; may be nil.
	Config ConfigReporter
	// Reporter builds the competitive report (/api/report, /report); may be nil.
	Reporter Reporter
	// Backuper snapshots the store for GET /api/backup; may be nil.
	Backuper Backuper
	// Alerts is the alert history (GET /api/alerts, /alerts) and the
	// channels' queues on /api/sources; may be nil.
	Alerts AlertHistory

	// Listen is the configured listen address ("127.0.0.1:8089"). With
	// AllowedHosts it decides which Host names are answered (hostGuard);
	// every other name gets 421, which is what defeats DNS rebinding.
	Listen       string
	AllowedHosts []string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (client address for rate limits,
	// HTTPS for Secure cookies). Empty: none.
	TrustedProxies []netip.Prefix
	// MaxExpensive is how many expensive searches (see expensive) run at
	// once (default 2); ExpensiveWait how long another waits for a slot
	// before a 429 (default 2s).
	MaxExpensive  int
	ExpensiveWait time.Duration
	// Unsubscribe handles the digest's one-click unsubscribe links
	// (/unsubscribe); nil = not enabled (404).
	Unsubscribe Unsubscriber
	// ExportLimit caps the rows of one export (default and maximum
	// MaxExportRows); the search page says when a search has more.
	ExportLimit int
}

// zone is the configured time zone, UTC when none is set.
func (s *Server) zone() *time.Location {
	if s.opts.Zone != nil {
		if loc := s.opts.Zone(); loc != nil {
			return loc
		}
	}
	return time.UTC
}

// Server is the HTTP API.
type Server struct {
	opts     Options
	mux      *http.ServeMux
	names    atomic.Pointer[names]
	token    atomic.Pointer[string]
	failures *failLimiter
	hosts    *hostGuard
	proxies  proxies
	heavy    *heavyLimiter
}

// New returns a Server with its routes registered.
func New(opts Options) *Server {
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	s := &Server{opts: opts, mux: http.NewServeMux(), failures: newFailLimiter(opts.Clock),
		proxies: proxies(opts.TrustedProxies), heavy: newHeavyLimiter(opts.MaxExpensive, opts.ExpensiveWait)}
	hosts, err := newHostGuard(opts.Listen, opts.AllowedHosts)
	if err != nil { // config validated both; keep the connection-based check
		opts.Logger.Error().Err(err).Msg("host check uses the connection's address only")
		hosts, _ = newHostGuard("", nil)
	}
	s.hosts = hosts
	s.SetNames(opts.Brands, opts.Networks)
	s.SetToken(opts.Token)
	s.routes()
	return s
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /api/search", s.handleSearch)
	s.mux.HandleFunc("GET /api/mentions/{id}", s.handleMention)
	s.mux.HandleFunc("GET /api/sources", s.handleSources)
	s.mux.HandleFunc("GET /api/stats", s.handleStats)
	s.mux.HandleFunc("GET /api/report", s.handleReportAPI)
	if s.opts.Backuper != nil {
		s.mux.Handle("GET /api/backup", BackupHandler(s.opts.Backuper, s.opts.Logger, s.opts.Clock))
	}
	s.mux.HandleFunc("GET /report", s.handleReportPage)
	s.mux.HandleFunc("GET /api/export", s.handleExport)
	s.mux.HandleFunc("GET /api/openapi.json", s.handleOpenAPI)
	s.mux.HandleFunc("GET /healthz", s.handleHealthz)
	s.mux.HandleFunc("GET /metrics", s.handleMetrics)
	s.mux.HandleFunc("GET /{$}", s.handleSearchPage)
	s.mux.HandleFunc("GET /sources", s.handleSourcesPage)
	s.mux.HandleFunc("GET /api/alerts", s.handleAlertsAPI)
	s.mux.HandleFunc("GET /alerts", s.handleAlertsPage)
	s.mux.HandleFunc("GET /login", s.handleLoginPage)
	s.mux.HandleFunc("POST /login", s.handleLogin)
	s.mux.HandleFunc("POST /logout", s.handleLogout)
	s.mux.HandleFunc("GET "+unsubscribePath, s.handleUnsubscribePage)
	s.mux.HandleFunc("POST "+unsubscribePath, s.handleUnsubscribe)
	s.mux.Handle("GET /static/", staticHandler{})
	s.mux.HandleFunc("/", s.handleNoRoute)
}

// handleNoRoute answers 405 when the path exists for GET, 404 otherwise.
func (s *Server) handleNoRoute(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		probe := r.Clone(r.Context())
		probe.Method = http.MethodGet
		if _, pattern := s.mux.Handler(probe); pattern != "/" {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
				fmt.Sprintf("%s is not allowed on %s; the API is read-only", r.Method, r.URL.Path))
			return
		}
	}
	writeError(w, http.StatusNotFound, "not_found", fmt.Sprintf("no route for %s %s", r.Method, r.URL.Path))
}

// ServeHTTP implements http.Handler: security headers, the Host and Origin
// checks, authentication,
// panic recovery, latency metrics and logging around the routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := s.opts.Clock()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	setSecurityHeaders(rec.Header())
	_, pattern := s.mux.Handler(r)
	defer func() {
		// A failure after the status line is sent (a panic, or a handler's
		// ErrAbortHandler) drops the connection: the client sees a broken
		// transfer, never a complete-looking short answer (an export of
		// 27,000 of 33,666 rows with status 200).
		abort := false
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				s.opts.Logger.Error().Interface("panic", v).Bytes("stack", debug.Stack()).Str("path", r.URL.Path).Msg("handler panic")
			}
			if abort = rec.wrote || v == http.ErrAbortHandler; !abort {
				writeError(rec, http.StatusInternalServerError, "internal", "internal error")
			}
		}
		took := s.opts.Clock().Sub(start)
		s.opts.Metrics.ObserveHTTP(pattern, r.Method, rec.status, took)
		s.opts.Logger.Debug().Str("method", r.Method).Str("path", r.URL.Path).Int("status", rec.status).
			Dur("took", took).Bool("aborted", abort).Msg("http")
		if abort {
			panic(http.ErrAbortHandler) // net/http closes the connection without ending the body
		}
	}()
	r.Body = http.MaxBytesReader(rec, r.Body, maxBodyBytes)
	if !s.guardHost(rec, r) || !s.authorize(rec, r) {
		return
	}
	s.mux.ServeHTTP(rec, r)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush and SetWriteDeadline.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Serve answers on ln until ctx is cancelled, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("http shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http server: %w", err)
	}
	return nil
}
