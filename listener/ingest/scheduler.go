package ingest

import (
	"context"
	"errors"
	"fmt"
	"github.com/earshot/earshot/listener"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
)

// Interval bounds applied to jobs.
const (
	DefaultEvery = 15 * time.Minute // when a job names no interval
	MinEvery     = time.Second      // floor, so a bad job cannot spin
)

// Job is one source to poll every Every, each fetch bounded by Timeout
// (DefaultTimeout when zero).
type Job struct {
	Source  listener.Source
	Every   time.Duration
	Timeout time.Duration
	// Budget, when the source has a daily budget, is reported in health.
	Budget listener.Budget
	// Backfill is how far back the source's first poll reaches: its
	// lookback capped by the network's history (config.Network.Backfill),
	// 0 when the network returns none. The store records it as coverage.
	Backfill time.Duration
}

// Options configures a Scheduler. Matcher and Sink are required.
type Options struct {
	Logger  zerolog.Logger
	Clock   func() time.Time // nil = time.Now
	Matcher Matcher
	Sink    Sink
	Enrich  Enricher // may be nil
	// Jitter is the fraction of Every (and of a backoff) by which waits are
	// spread: 0 means DefaultJitter, a negative value disables it, values
	// above MaxJitter are lowered to it.
	Jitter                 float64
	MinBackoff, MaxBackoff time.Duration // defaults 30s, 1h
	// Sleep waits d or until ctx is done, returning ctx.Err() then.
	// nil = a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns uniform values in [0, 1) for jitter; nil = math/rand/v2.
	Rand func() float64
}

// Scheduler polls its jobs' sources on their schedules.
type Scheduler struct {
	jobs    []*job
	byName  map[string]*job
	pipe    Pipeline
	pol     policy
	log     zerolog.Logger
	clock   func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error
	health  *healthBook
	running atomic.Bool
}

type job struct {
	Job
	name, network string

	mu       sync.Mutex // held for a whole fetch: fetches never overlap
	failures int        // consecutive full failures, guarded by mu
}

// NewScheduler returns a scheduler for jobs. Jobs with a nil source or an
// empty name, and later jobs repeating a name, are logged and left out.
func NewScheduler(jobs []Job, opts Options) *Scheduler {
	s := &Scheduler{
		byName: map[string]*job{},
		log:    opts.Logger,
		clock:  opts.Clock,
		sleep:  opts.Sleep,
		health: newHealthBook(),
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.sleep == nil {
		s.sleep = sleepCtx
	}
	s.pipe = Pipeline{Matcher: opts.Matcher, Sink: opts.Sink, Enrich: opts.Enrich, Clock: s.clock}
	s.pol = newPolicy(opts)
	for i, j := range jobs {
		if j.Source == nil {
			s.log.Error().Int("job", i).Msg("listener: job without a source skipped")
			continue
		}
		name, network := j.Source.Name(), j.Source.Network()
		if name == "" {
			s.log.Error().Int("job", i).Str("network", network).Msg("listener: source without a name skipped")
			continue
		}
		if s.byName[name] != nil {
			s.log.Error().Str("source", name).Msg("listener: duplicate source name skipped")
			continue
		}
		switch {
		case j.Every <= 0:
			j.Every = DefaultEvery
		case j.Every < MinEvery:
			j.Every = MinEvery
		}
		if j.Timeout <= 0 {
			j.Timeout = DefaultTimeout
		}
		jb := &job{Job: j, name: name, network: network}
		s.jobs = append(s.jobs, jb)
		s.byName[name] = jb
		s.health.add(name, network)
	}
	return s
}

func newPolicy(opts Options) policy {
	p := policy{jitter: opts.Jitter, minBackoff: opts.MinBackoff, maxBackoff: opts.MaxBackoff, rnd: opts.Rand, clock: opts.Clock}
	switch {
	case p.jitter == 0:
		p.jitter = DefaultJitter
	case p.jitter < 0 || p.jitter != p.jitter:
		p.jitter = 0
	case p.jitter > MaxJitter:
		p.jitter = MaxJitter
	}
	if p.minBackoff <= 0 {
		p.minBackoff = DefaultMinBackoff
	}
	if p.maxBackoff <= 0 {
		p.maxBackoff = DefaultMaxBackoff
	}
	p.maxBackoff = max(p.maxBackoff, p.minBackoff)
	if p.rnd == nil {
		p.rnd = rand.Float64
	}
	return p
}

// Run polls every job until ctx is cancelled, then waits for in-flight
// fetches and commits to finish and returns nil. It returns an error at once
// when the scheduler is already running.
func (s *Scheduler) Run(ctx context.Context) error {
	if !s.running.CompareAndSwap(false, true) {
		return errors.New("scheduler already running")
	}
	defer s.running.Store(false)
	var wg sync.WaitGroup
	now := s.clock()
	for _, j := range s.jobs {
		s.health.setNextRun(j.name, now)
		wg.Go(func() { s.loop(ctx, j) })
	}
	wg.Wait()
	return nil
}

// RunOnce fetches the named source now and commits the result, waiting for
// a fetch of it already in progress. It returns the fetch's error.
func (s *Scheduler) RunOnce(ctx context.Context, name string) error {
	j := s.byName[name]
	if j == nil {
		return fmt.Errorf("%w %q", errUnknownSource, name)
	}
	_, _, err := s.fetch(ctx, j)
	return err
}

// Adopt carries prev, the health of the scheduler this one replaces (a
// reload), over before Run: a source of the same name and network keeps
// its counters, last success, error and warnings. Call it once the old
// scheduler has stopped, so that its last fetch is counted.
func (s *Scheduler) Adopt(prev []SourceHealth) { s.health.adopt(prev) }

// Health returns every source's state, sorted by name.
func (s *Scheduler) Health() []SourceHealth {
	out := s.health.snapshot(s.clock())
	for i := range out {
		if j := s.byName[out[i].Name]; j != nil && j.Budget != nil {
			u := j.Budget.Usage()
			out[i].Budget = &u
		}
	}
	return out
}

// loop is one job's goroutine: fetch at once, then on the schedule.
func (s *Scheduler) loop(ctx context.Context, j *job) {
	for ctx.Err() == nil {
		res, failures, err := s.fetch(ctx, j)
		if ctx.Err() != nil {
			return
		}
		wait := s.pol.next(j.Every, failures, err)
		next := s.clock().Add(wait)
		s.health.setNextRun(j.name, next)
		s.logOutcome(j, res, failures, err, next)
		if s.sleep(ctx, wait) != nil {
			return
		}
	}
}

// fetch runs one ingest of j under its lock and files the outcome. It
// returns the consecutive full failures after it.
func (s *Scheduler) fetch(ctx context.Context, j *job) (IngestResult, int, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	res, err := s.pipe.IngestJob(ctx, j.Job)
	if err != nil && ctx.Err() != nil {
		// Shut down mid-fetch: not the source's fault.
		s.health.record(j.name, res, err, true)
		return res, j.failures, err
	}
	s.health.record(j.name, res, err, false)
	if err == nil || errIsPartial(res, err) {
		j.failures = 0
	} else {
		j.failures++
	}
	return res, j.failures, err
}

func (s *Scheduler) logOutcome(j *job, res IngestResult, failures int, err error, next time.Time) {
	var ev *zerolog.Event
	var pe *PanicError
	switch {
	case err == nil:
		ev = s.log.Debug()
	case errors.As(err, &pe):
		ev = s.log.Error().Bytes("stack", pe.Stack)
	case errIsPartial(res, err):
		ev = s.log.Warn().Bool("partial", true)
	default:
		ev = s.log.Error()
	}
	ev = ev.Str("source", j.name).Str("network", j.network).
		Int("posts", res.Posts).Int("matched", res.Matched).
		Int("added", res.Added).Int("duplicates", res.Duplicates).
		Dur("took", res.Elapsed).Time("next_run", next)
	if err == nil {
		ev.Msg("listener: fetched")
		return
	}
	ev.Err(err).Int("attempt", failures).Msg("listener: fetch failed")
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
