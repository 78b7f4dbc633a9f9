package digest

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/wneessen/go-mail"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// Ledger records deliveries durably; *store.Store implements it.
type Ledger interface {
	DigestRecord(period, recipient string) (store.DigestRecord, bool, error)
	MarkDigest(r store.DigestRecord) error
	DigestFirstRun(now time.Time) (time.Time, error)
}

// BuildFunc builds a report; the daemon passes report.Build over its store.
type BuildFunc func(ctx context.Context, req report.Request) (*report.Report, error)

// Options configure a Runner. Config, Ledger and Build are required.
type Options struct {
	Config *config.Config
	Ledger Ledger
	Build  BuildFunc
	// Mailer delivers; nil means SMTP when smtp_host is set, else the
	// outbox (data_dir/outbox).
	Mailer Mailer
	Logger zerolog.Logger
	Clock  func() time.Time // nil = time.Now
	// OnSend, when set, is called once per recipient and period with the
	// final outcome (nil error = delivered): the metrics hook.
	OnSend func(recipient string, err error)
	// MaxAttempts bounds delivery attempts per recipient and period
	// (default 8); Backoff is the first wait after a temporary failure
	// (default 1m), doubled each time up to MaxBackoff (default 30m).
	MaxAttempts         int
	Backoff, MaxBackoff time.Duration
	// Sleep waits d or until ctx ends; nil uses a timer. Tests inject one
	// that advances their clock.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Runner sends the digest on its schedule. Create it with New.
type Runner struct {
	o      Options
	cfg    *config.Config
	sched  *Schedule
	loc    *time.Location
	log    zerolog.Logger
	mailer Mailer
	spill  *Outbox // keeps undeliverable digests
}

// Result is the outcome of one recipient's digest.
type Result struct {
	Recipient string
	Status    string // a store.DigestStatus* value, or "skipped" (already delivered)
	File      string
	Err       error
}

// New validates o and prepares a Runner.
func New(o Options) (*Runner, error) {
	if o.Config == nil || o.Ledger == nil || o.Build == nil {
		return nil, errors.New("digest: New needs Config, Ledger and Build")
	}
	d := o.Config.Digest
	loc := o.Config.Earshot.Location
	if loc == nil {
		loc = time.UTC
	}
	spec := d.Schedule
	if spec == "" {
		spec = config.DefaultDigestSchedule
	}
	sched, err := ParseSchedule(spec, loc)
	if err != nil {
		return nil, err
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Minute
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Minute
	}
	r := &Runner{o: o, cfg: o.Config, sched: sched, loc: loc, log: o.Logger.With().Str("component", "digest").Logger(),
		mailer: o.Mailer}
	if r.mailer == nil {
		if d.SMTPHost == "" {
			r.mailer = &Outbox{Dir: OutboxDir(o.Config.Earshot.DataDir)}
		} else {
			m, err := NewSMTP(SMTPOptionsFrom(d))
			if err != nil {
				return nil, err
			}
			r.mailer = m
		}
	}
	if _, isOutbox := r.mailer.(*Outbox); !isOutbox {
		r.spill = &Outbox{Dir: filepath.Join(OutboxDir(o.Config.Earshot.DataDir), "undelivered")}
	}
	return r, nil
}

// Schedule returns the parsed schedule.
func (r *Runner) Schedule() *Schedule { return r.sched }

// Next is the next scheduled send after the clock's now.
func (r *Runner) Next() time.Time { return r.sched.Next(r.o.Clock()) }

// Run sends digests until ctx ends. On start it sends the latest scheduled
// digest that was missed while the daemon was down (once: only the latest,
// never one scheduled before digests first ran on this data dir); then it
// waits for each scheduled time. Recipients already recorded as delivered
// for a period are skipped, so restarts never send twice. It returns nil
// when ctx ends, or an error if the ledger cannot be read.
func (r *Runner) Run(ctx context.Context) error {
	if !r.cfg.Digest.Enabled() {
		<-ctx.Done()
		return nil
	}
	now := r.o.Clock()
	first, err := r.o.Ledger.DigestFirstRun(now)
	if err != nil {
		return err
	}
	r.log.Info().Str("schedule", r.sched.String()).Time("next", r.sched.Next(now)).Msg("digest scheduled")
	if prev := r.sched.Prev(now); !prev.IsZero() && !prev.Before(first) {
		w := PeriodFor(prev, r.loc)
		r.log.Debug().Str("period", w.String()).Time("scheduled", prev).Msg("checking the latest scheduled digest")
		if _, err := r.Send(ctx, w, false); err != nil && ctx.Err() == nil {
			r.log.Error().Err(err).Str("period", w.String()).Msg("digest catch-up failed")
		}
	}
	for {
		next := r.sched.Next(r.o.Clock())
		if next.IsZero() {
			r.log.Warn().Str("schedule", r.sched.String()).Msg("digest schedule never fires")
			<-ctx.Done()
			return nil
		}
		for {
			d := next.Sub(r.o.Clock())
			if d <= 0 {
				break
			}
			// Wake at least hourly: a suspended machine or a clock change
			// is noticed instead of sleeping past the schedule.
			if err := r.o.Sleep(ctx, min(d, time.Hour)); err != nil {
				return nil
			}
		}
		if _, err := r.Send(ctx, PeriodFor(next, r.loc), false); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			r.log.Error().Err(err).Msg("digest send failed")
		}
	}
}

// Send delivers the digest of week w to every recipient not yet recorded as
// done for w (all of them with force), retrying temporary failures with
// backoff up to MaxAttempts. A permanent failure (5xx) or running out of
// attempts is recorded as failed, reported through the log and OnSend, and
// the message is kept in data_dir/outbox/undelivered. The returned error is
// only for the ledger or ctx; per-recipient failures are in the results.
func (r *Runner) Send(ctx context.Context, w Week, force bool) ([]Result, error) {
	period := w.String()
	type job struct {
		rc  config.Recipient
		rec store.DigestRecord
	}
	var pending []job
	var results []Result
	for _, rc := range r.cfg.Digest.To {
		rec, ok, err := r.o.Ledger.DigestRecord(period, rc.Email)
		if err != nil {
			return results, err
		}
		if ok && rec.Done() && !force {
			results = append(results, Result{Recipient: rc.Email, Status: "skipped", File: rec.File})
			continue
		}
		if !ok || force {
			rec = store.DigestRecord{Period: period, Recipient: rc.Email}
		}
		pending = append(pending, job{rc, rec})
	}
	reports := map[string]*report.Report{}
	for round := 0; len(pending) > 0; round++ {
		if round > 0 {
			wait := min(r.o.Backoff<<min(round-1, 20), r.o.MaxBackoff)
			r.log.Info().Str("period", period).Int("recipients", len(pending)).Dur("wait", wait).Msg("retrying digest delivery")
			if err := r.o.Sleep(ctx, wait); err != nil {
				return results, err
			}
		}
		var again []job
		for _, j := range pending {
			if err := ctx.Err(); err != nil {
				return results, err
			}
			j.rec.Attempts++
			res, retry, err := r.attempt(ctx, w, j.rc, &j.rec, reports)
			if err != nil {
				return results, err
			}
			if retry {
				again = append(again, j)
				continue
			}
			results = append(results, res)
		}
		pending = again
	}
	return results, nil
}

// attempt tries one delivery and records the outcome. retry is true after a
// temporary failure with attempts left; err is a ledger failure.
func (r *Runner) attempt(ctx context.Context, w Week, rc config.Recipient, rec *store.DigestRecord, reports map[string]*report.Report) (res Result, retry bool, err error) {
	period := w.String()
	log := r.log.With().Str("period", period).Str("recipient", rc.Email).Int("attempt", rec.Attempts).Logger()
	msg, derr := r.message(ctx, w, rc, reports)
	file := ""
	if derr == nil {
		file, derr = r.mailer.Deliver(ctx, msg, period, rc.Email)
	}
	rec.At = r.o.Clock()
	if derr == nil {
		rec.Status, rec.Error, rec.File = store.DigestStatusSent, "", file
		if file != "" {
			rec.Status = store.DigestStatusOutbox
		}
		if err := r.o.Ledger.MarkDigest(*rec); err != nil {
			return res, false, err
		}
		log.Info().Str("status", rec.Status).Str("file", file).Msg("digest delivered")
		r.notify(rc.Email, nil)
		return Result{Recipient: rc.Email, Status: rec.Status, File: file}, false, nil
	}
	if ctx.Err() != nil {
		return res, false, ctx.Err()
	}
	rec.Error = truncate(derr.Error(), 500)
	if !IsPermanent(derr) && rec.Attempts < r.o.MaxAttempts {
		rec.Status = store.DigestStatusPending
		if err := r.o.Ledger.MarkDigest(*rec); err != nil {
			return res, false, err
		}
		log.Warn().Err(derr).Msg("digest delivery failed; will retry")
		return res, true, nil
	}
	if !IsPermanent(derr) {
		derr = fmt.Errorf("gave up after %d attempts: %w", rec.Attempts, derr)
		rec.Error = truncate(derr.Error(), 500)
	}
	rec.Status = store.DigestStatusFailed
	if msg != nil && r.spill != nil {
		if f, err := r.spill.Deliver(ctx, msg, period, rc.Email); err == nil {
			rec.File = f
		} else {
			log.Error().Err(err).Msg("cannot keep the undelivered digest")
		}
	}
	if err := r.o.Ledger.MarkDigest(*rec); err != nil {
		return res, false, err
	}
	log.Error().Err(derr).Str("kept", rec.File).Msg("digest delivery failed for good; not retried automatically (earshot digest -send resends)")
	r.notify(rc.Email, derr)
	return Result{Recipient: rc.Email, Status: store.DigestStatusFailed, File: rec.File, Err: derr}, false, nil
}

func (r *Runner) notify(recipient string, err error) {
	if r.o.OnSend != nil {
		r.o.OnSend(recipient, err)
	}
}

// message builds one recipient's e-mail; reports are cached per network
// filter so recipients with the same view share one build.
func (r *Runner) message(ctx context.Context, w Week, rc config.Recipient, reports map[string]*report.Report) (*mail.Msg, error) {
	rd, err := r.render(ctx, w, rc, reports)
	if err != nil {
		return nil, err
	}
	return NewMessage(r.cfg.Digest.From, rc, w.String(), rd, r.o.Clock())
}

// Preview renders week w as rc would receive it (rc zero: the unfiltered
// digest for the first recipient, or for nobody in particular).
func (r *Runner) Preview(ctx context.Context, w Week, rc config.Recipient) (*Rendered, error) {
	return r.render(ctx, w, rc, map[string]*report.Report{})
}

func (r *Runner) render(ctx context.Context, w Week, rc config.Recipient, reports map[string]*report.Report) (*Rendered, error) {
	key := strings.Join(rc.Networks, ",")
	if reports == nil {
		reports = map[string]*report.Report{}
	}
	rep, ok := reports[key]
	if !ok {
		var err error
		rep, err = r.o.Build(ctx, report.Request{Config: r.cfg, Period: "week", End: w.Sunday(r.loc),
			Networks: rc.Networks, Now: r.o.Clock()})
		if err != nil {
			return nil, fmt.Errorf("digest: build report for %s: %w", w, err)
		}
		reports[key] = rep
	}
	return Render(BuildView(rep, w, rc, r.cfg.Digest.BaseURL, r.loc), r.cfg.Digest.Subject)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
