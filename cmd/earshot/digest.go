package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/daemon"
	"github.com/earshot/earshot/digest"
	"github.com/earshot/earshot/store"
)

// cmdDigest previews or sends the weekly digest:
//
//	earshot digest -config F -preview [-week W] [-to ADDR] [-text] [-out file.html]
//	earshot digest -config F -send [-week W] [-to ADDR] [-force] [-partial]
func cmdDigest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("digest", stderr)
	path := configFlag(fs)
	preview := fs.Bool("preview", false, "render the digest (HTML) to stdout or -out; sends nothing")
	send := fs.Bool("send", false, "send the digest now to recipients it was not delivered to (recorded)")
	force := fs.Bool("force", false, "with -send: resend to recipients already delivered to")
	partial := fs.Bool("partial", false, "with -send: allow the current, incomplete week (marked as partial)")
	week := fs.String("week", "", "ISO week (2026-W47) or a date in it; default: the last complete week")
	out := fs.String("out", "", "with -preview: write to this file instead of stdout")
	text := fs.Bool("text", false, "with -preview: the plain-text part instead of the HTML")
	to := fs.String("to", "", "only this recipient (-send), or render as they see it (-preview; default: the first recipient)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *preview == *send {
		fmt.Fprintln(stderr, "earshot digest: give exactly one of -preview or -send")
		fs.Usage()
		return errUsage
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	log := daemon.Logger(cfg, stderr)
	now := time.Now()
	loc := cfg.Earshot.Location
	w := digest.WeekOf(now.In(loc).AddDate(0, 0, -7), loc)
	if *week != "" {
		if w, err = digest.ParseWeek(*week, loc); err != nil {
			return err
		}
	}
	st, err := store.Open(cfg.Earshot.DataDir, store.Options{Logger: log, NoIndexer: true})
	if err != nil {
		return fmt.Errorf("%w (the running daemon holds the store: stop it to use earshot digest)", err)
	}
	defer st.Close()
	opts := digest.Options{Config: cfg, Ledger: st, OptOuts: st, Logger: log,
		Build: func(ctx context.Context, req report.Request) (*report.Report, error) {
			return report.Build(ctx, st, req)
		},
		// At the terminal: a few quick retries rather than the daemon's hours.
		MaxAttempts: 3, Backoff: 5 * time.Second, MaxBackoff: 20 * time.Second}
	r, err := digest.New(opts)
	if err != nil {
		return err
	}

	if *preview {
		rc := digest.SampleRecipient
		if len(cfg.Digest.To) > 0 {
			rc = cfg.Digest.To[0]
		}
		if *to != "" {
			found := false
			for _, x := range cfg.Digest.To {
				if strings.EqualFold(x.Email, *to) {
					rc, found = x, true
				}
			}
			if !found {
				return fmt.Errorf("-to %q is not a [digest] recipient", *to)
			}
		}
		rd, err := r.Preview(ctx, w, rc)
		if err != nil {
			return err
		}
		body := rd.PreviewHTML()
		if *text {
			body = "Subject: " + rd.Subject + "\n\n" + rd.Text
		}
		if *out == "" {
			_, err = io.WriteString(stdout, body)
			return err
		}
		if err := os.WriteFile(*out, []byte(body), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote the %s digest for %s to %s\n", w, rc.Email, *out)
		return nil
	}

	if !cfg.Digest.Enabled() {
		return errors.New("no recipients: list them in [digest] recipients or [[digest.recipient]]")
	}
	if err := digest.CheckComplete(w, now, loc, *partial); err != nil {
		return err
	}
	results, err := r.SendWith(ctx, w, digest.SendOptions{Force: *force, To: *to, Partial: *partial, KeepPending: true})
	failed := 0
	for _, res := range results {
		switch {
		case res.Err != nil:
			failed++
			fmt.Fprintf(stdout, "%s %s: %s: %v", w, res.Recipient, res.Status, res.Err)
		case res.File != "":
			fmt.Fprintf(stdout, "%s %s: %s (%s)", w, res.Recipient, res.Status, res.File)
		default:
			fmt.Fprintf(stdout, "%s %s: %s", w, res.Recipient, res.Status)
		}
		fmt.Fprintln(stdout)
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d digests not delivered", failed, len(results))
	}
	return nil
}
