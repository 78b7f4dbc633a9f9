package alerts

import (
	"errors"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// Store is what the engine needs of the store: the outbox transactions,
// the commit hook and mentions by ID (for the posts an alert lists).
type Store interface {
	OutboxUpdate(fn func(*store.OutboxTx) error) error
	OutboxView(fn func(*store.OutboxTx) error) error
	SetCommitHook(h store.CommitHook, after func())
	Get(id string) (store.Mention, bool, error)
}

// Options configure an Engine.
type Options struct {
	Store  Store
	Logger zerolog.Logger
	Clock  func() time.Time // nil = time.Now
	Deps   Deps
	// Explain fills an alert's top posts and rising terms; nil = posts
	// from the window only.
	Explain Explainer
	// Sources reports the sources' state for source rules; nil = none.
	Sources func() []SourceState
	// Tick is how often ended spikes, source rules and quiet hours are
	// checked and due retries sent; default 30s.
	Tick time.Duration
	// Backoff is the first retry delay, doubled per attempt up to
	// MaxBackoff; defaults 30s and 1h. MaxAttempts (default 12) ends the
	// retries: the delivery is failed.
	Backoff, MaxBackoff time.Duration
	MaxAttempts         int
	// Gate makes delivery singleton in a cluster: nil = this node sends
	// alone (gate.go).
	Gate Gate
}

// Engine decides alerts in the commit that causes them and delivers them.
type Engine struct {
	st    Store
	log   zerolog.Logger
	clock func() time.Time
	opts  Options
	rules atomic.Pointer[ruleSet]
	wake  chan struct{}
	stats stats
	// reconciled is when a node that is not the cluster's sender last
	// copied outcomes from the ledger (at most once per Tick).
	reconciled time.Time
}

// New makes an engine; SetConfig gives it rules and Run delivers.
func New(opts Options) (*Engine, error) {
	if opts.Store == nil {
		return nil, errors.New("alerts: no store")
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Tick <= 0 {
		opts.Tick = 30 * time.Second
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 30 * time.Second
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = time.Hour
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 12
	}
	if opts.Deps.Client == nil {
		opts.Deps.Client = &http.Client{Timeout: 15 * time.Second}
	}
	e := &Engine{st: opts.Store, log: opts.Logger, clock: opts.Clock, opts: opts, wake: make(chan struct{}, 1)}
	opts.Store.SetCommitHook(e.decide, e.kick)
	return e, nil
}

// Prepare compiles cfg's rules and channels without installing them (a
// reload builds everything before it swaps anything).
func (e *Engine) Prepare(cfg *config.Config) (*Rules, error) {
	rs, err := compile(cfg, e.opts.Deps)
	if err != nil {
		return nil, err
	}
	return &Rules{rs: rs}, nil
}

// Rules are compiled alert rules, ready to Install.
type Rules struct{ rs *ruleSet }

// Install swaps in rules atomically: a commit sees the old set or the new
// one, never a mix.
func (e *Engine) Install(r *Rules) {
	e.rules.Store(r.rs)
	e.kick()
}

// SetConfig is Prepare then Install.
func (e *Engine) SetConfig(cfg *config.Config) error {
	r, err := e.Prepare(cfg)
	if err != nil {
		return err
	}
	e.Install(r)
	return nil
}

// Close removes the commit hook.
func (e *Engine) Close() { e.st.SetCommitHook(nil, nil) }

func (e *Engine) kick() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}
