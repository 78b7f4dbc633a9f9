package digest

import (
	"context"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// SampleRecipient receives the sample digest when none is configured.
var SampleRecipient = config.Recipient{Email: "you@example.com", Name: "Earshot demo"}

// WriteSample writes the digest of the last complete week before now to
// data_dir/outbox as an .eml file and returns its path: what `earshot demo`
// shows a new user at once. It records nothing and sends nothing; the first
// configured recipient (or SampleRecipient) is the addressee.
func WriteSample(ctx context.Context, cfg *config.Config, build BuildFunc, now time.Time) (string, error) {
	r, err := New(Options{Config: cfg, Ledger: noLedger{}, Build: build, Clock: func() time.Time { return now },
		Mailer: &Outbox{Dir: OutboxDir(cfg.Earshot.DataDir)}})
	if err != nil {
		return "", err
	}
	rc := SampleRecipient
	if len(cfg.Digest.To) > 0 {
		rc = cfg.Digest.To[0]
	}
	w := WeekOf(now.In(r.loc).AddDate(0, 0, -7), r.loc)
	msg, err := r.message(ctx, w, rc, false, nil)
	if err != nil {
		return "", err
	}
	return r.mailer.Deliver(ctx, msg, w.String(), rc.Email)
}

// noLedger records nothing (samples and previews).
type noLedger struct{}

func (noLedger) DigestRecord(string, string) (store.DigestRecord, bool, error) {
	return store.DigestRecord{}, false, nil
}
func (noLedger) MarkDigest(store.DigestRecord) error             { return nil }
func (noLedger) DigestFirstRun(now time.Time) (time.Time, error) { return now, nil }
