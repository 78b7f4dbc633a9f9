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
	// OptOuts, when set, signs one-click unsubscribe links (with an https
	// base_url) and makes sends skip recipients who used one; nil = the
	// mailto link only, nobody skipped.
	OptOuts OptOuts
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
	if err := r.RetryPending(ctx); err != nil && ctx.Err() == nil {
		r.log.Error().Err(err).Msg("digest retry of pending deliveries failed")
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
		if err := r.RetryPending(ctx); err != nil && ctx.Err() == nil {
			r.log.Error().Err(err).Msg("digest retry of pending deliveries failed")
		}
	}
}

// Send delivers the digest of week w to every recipient not yet recorded as
// done for w (all of them with force): SendWith without options.
func (r *Runner) Send(ctx context.Context, w Week, force bool) ([]Result, error) {
	return r.SendWith(ctx, w, SendOptions{Force: force})
}

// SendOptions narrow a send (`earshot digest -send`).
type SendOptions struct {
	// Force resends to recipients already recorded as delivered. A forced
	// send that fails never replaces the earlier success in the ledger.
	Force bool
	// To sends to this recipient only ("" = every recipient).
	To string
	// Partial sends a week that is not over (the caller checked with
	// CheckComplete): subject and body say so, and it is recorded apart
	// (period "2026-W48-partial"), so the full week is still sent.
	Partial bool
	// KeepPending leaves a delivery that ran out of attempts on temporary
	// failures as pending, so the daemon retries it like a scheduled one
	// (a send from the terminal tries only a few times).
	KeepPending bool
}

// StatusUnsubscribed is a Result's status for a recipient who used the
// one-click unsubscribe link (nothing is recorded in the ledger).
const StatusUnsubscribed = "unsubscribed"

// ErrUnknownRecipient is returned when SendOptions.To is not a recipient.
var ErrUnknownRecipient = errors.New("digest: not a [digest] recipient")

// SendWith delivers the digest of week w as o says, retrying temporary
// failures with backoff up to MaxAttempts. A permanent failure (5xx) or
// running out of attempts is recorded as failed (pending with
// KeepPending), reported through the log and OnSend, and the message is
// kept in data_dir/outbox/undelivered. The returned error is only for the
// ledger, ctx or an unknown recipient; per-recipient failures are in the
// results.
func (r *Runner) SendWith(ctx context.Context, w Week, o SendOptions) ([]Result, error) {
	period := ledgerPeriod(w, o.Partial)
	var pending []*job
	var results []Result
	found := o.To == ""
	for _, rc := range r.cfg.Digest.To {
		if o.To != "" && !strings.EqualFold(rc.Email, o.To) {
			continue
		}
		found = true
		if r.o.OptOuts != nil {
			out, err := optedOut(r.o.OptOuts, rc)
			if err != nil {
				return results, err
			}
			if out {
				r.log.Info().Str("recipient", rc.Email).Str("period", period).Msg("digest not sent: the recipient unsubscribed")
				results = append(results, Result{Recipient: rc.Email, Status: StatusUnsubscribed})
				continue
			}
		}
		rec, ok, err := r.o.Ledger.DigestRecord(period, rc.Email)
		if err != nil {
			return results, err
		}
		if ok && rec.Done() && !o.Force {
			results = append(results, Result{Recipient: rc.Email, Status: "skipped", File: rec.File})
			continue
		}
		j := &job{rc: rc, rec: rec}
		if ok && delivered(rec) {
			j.prev = &rec // a forced resend: keep this if the resend fails
		}
		if !ok || o.Force {
			j.rec = store.DigestRecord{Period: period, Recipient: rc.Email}
		}
		pending = append(pending, j)
	}
	if !found {
		return nil, fmt.Errorf("%w: %q", ErrUnknownRecipient, o.To)
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
		var again []*job
		for _, j := range pending {
			if err := ctx.Err(); err != nil {
				return results, err
			}
			j.rec.Attempts++
			res, retry, err := r.attempt(ctx, w, j, o, reports)
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

// job is one recipient's delivery in a send.
type job struct {
	rc   config.Recipient
	rec  store.DigestRecord
	prev *store.DigestRecord // an earlier success a failed resend must not replace
}

func delivered(rec store.DigestRecord) bool {
	return rec.Status == store.DigestStatusSent || rec.Status == store.DigestStatusOutbox
}

// ledgerPeriod is the ledger key and Message-ID period of a send.
func ledgerPeriod(w Week, partial bool) string {
	if partial {
		return w.String() + "-partial"
	}
	return w.String()
}

// mark records rec unless the send is a forced resend over an earlier
// success and rec is not a success: the ledger keeps the success.
func (r *Runner) mark(j *job, rec store.DigestRecord) error {
	if j.prev != nil && !delivered(rec) {
		return nil
	}
	return r.o.Ledger.MarkDigest(rec)
}

// CheckComplete refuses a week that has not ended by now (it would be
// sent with incomplete figures) unless partial is set; a week that has
// not begun is always refused.
func CheckComplete(w Week, now time.Time, loc *time.Location, partial bool) error {
	if loc == nil {
		loc = time.UTC
	}
	switch {
	case now.Before(w.Monday(loc)):
		return fmt.Errorf("digest: week %s has not begun", w)
	case now.Before(w.Sunday(loc).AddDate(0, 0, 1)) && !partial:
		return fmt.Errorf("digest: week %s is not over (it ends %s): wait, or send it marked as partial with -partial", w,
			w.Sunday(loc).Format(time.DateOnly))
	}
	return nil
}

// RetryPending resends every digest the ledger holds as pending (a send
// interrupted by a restart, or a manual send that ran out of attempts),
// like a scheduled one. Ledgers that cannot list records are skipped.
func (r *Runner) RetryPending(ctx context.Context) error {
	lister, ok := r.o.Ledger.(interface {
		DigestLog(limit int) ([]store.DigestRecord, error)
	})
	if !ok {
		return nil
	}
	log, err := lister.DigestLog(0)
	if err != nil {
		return err
	}
	for _, rec := range log {
		if rec.Status != store.DigestStatusPending {
			continue
		}
		period, partial := strings.CutSuffix(rec.Period, "-partial")
		w, err := ParseWeek(period, r.loc)
		if err != nil {
			continue
		}
		_, err = r.SendWith(ctx, w, SendOptions{To: rec.Recipient, Partial: partial})
		if errors.Is(err, ErrUnknownRecipient) {
			continue // no longer a recipient
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// attempt tries one delivery and records the outcome. retry is true after a
// temporary failure with attempts left; err is a ledger failure.
func (r *Runner) attempt(ctx context.Context, w Week, j *job, o SendOptions, reports map[string]*report.Report) (res Result, retry bool, err error) {
	rc, rec := j.rc, &j.rec
	period := ledgerPeriod(w, o.Partial)
	log := r.log.With().Str("period", period).Str("recipient", rc.Email).Int("attempt", rec.Attempts).Logger()
	msg, derr := r.message(ctx, w, rc, o.Partial, reports)
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
		if err := r.mark(j, *rec); err != nil {
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
		if err := r.mark(j, *rec); err != nil {
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
	if o.KeepPending && !IsPermanent(derr) {
		rec.Status = store.DigestStatusPending // the daemon takes over the retries
	}
	if msg != nil && r.spill != nil {
		if f, err := r.spill.Deliver(ctx, msg, period, rc.Email); err == nil {
			rec.File = f
		} else {
			log.Error().Err(err).Msg("cannot keep the undelivered digest")
		}
	}
	if err := r.mark(j, *rec); err != nil {
		return res, false, err
	}
	log.Error().Err(derr).Str("kept", rec.File).Msg("digest delivery failed for good; not retried automatically (earshot digest -send resends)")
	r.notify(rc.Email, derr)
	return Result{Recipient: rc.Email, Status: rec.Status, File: rec.File, Err: derr}, false, nil
}

func (r *Runner) notify(recipient string, err error) {
	if r.o.OnSend != nil {
		r.o.OnSend(recipient, err)
	}
}

// message builds one recipient's e-mail; reports are cached per network
// filter so recipients with the same view share one build.
func (r *Runner) message(ctx context.Context, w Week, rc config.Recipient, partial bool, reports map[string]*report.Report) (*mail.Msg, error) {
	var key []byte
	if r.o.OptOuts != nil && strings.HasPrefix(r.cfg.Digest.BaseURL, "https://") {
		// RFC 8058 one-click needs an https link; otherwise only the mailto.
		k, err := r.o.OptOuts.DigestSigningKey()
		if err != nil {
			return nil, err
		}
		key = k
	}
	rd, err := r.render(ctx, w, rc, partial, reports, unsubscribeLink(key, r.cfg.Digest.BaseURL, rc))
	if err != nil {
		return nil, err
	}
	m, err := NewMessage(r.cfg.Digest.From, rc, ledgerPeriod(w, partial), rd, r.o.Clock())
	if err != nil || key == nil {
		return m, err
	}
	list, post := unsubscribeHeaders(key, r.cfg.Digest.BaseURL, r.cfg.Digest.From, rc)
	m.SetGenHeader("List-Unsubscribe", list)
	m.SetGenHeader("List-Unsubscribe-Post", post)
	return m, nil
}

// Preview renders week w as rc would receive it (rc zero: the unfiltered
// digest for the first recipient, or for nobody in particular).
func (r *Runner) Preview(ctx context.Context, w Week, rc config.Recipient) (*Rendered, error) {
	return r.render(ctx, w, rc, CheckComplete(w, r.o.Clock(), r.loc, false) != nil, map[string]*report.Report{}, "")
}

func (r *Runner) render(ctx context.Context, w Week, rc config.Recipient, partial bool, reports map[string]*report.Report, unsubscribe string) (*Rendered, error) {
	if reports == nil {
		reports = map[string]*report.Report{}
	}
	build := func(networks []string) (*report.Report, error) {
		key := strings.Join(networks, ",")
		if rep, ok := reports[key]; ok {
			return rep, nil
		}
		rep, err := r.o.Build(ctx, report.Request{Config: r.cfg, Period: "week", End: w.Sunday(r.loc),
			Networks: networks, Now: r.o.Clock(), Exact: true}) // a sent digest is never stale (report.Cache)
		if err != nil {
			return nil, fmt.Errorf("digest: build report for %s: %w", w, err)
		}
		reports[key] = rep
		return rep, nil
	}
	rep, err := build(rc.Networks)
	if err != nil {
		return nil, err
	}
	unfiltered := rep
	if len(rc.Networks) > 0 { // goals are the company's figures
		if unfiltered, err = build(nil); err != nil {
			return nil, err
		}
	}
	return Render(BuildView(ViewInput{Report: rep, Unfiltered: unfiltered, Week: w, Recipient: rc, BaseURL: r.cfg.Digest.BaseURL,
		Loc: r.loc, Partial: partial, Unsubscribe: unsubscribe}), r.cfg.Digest.Subject)
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
