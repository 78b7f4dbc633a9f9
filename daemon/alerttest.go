package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener/httpx"
)

// TestAlert sends a sample alert of the named rule to each of its
// channels (`earshot alerts test`) and prints where it went; the store is
// not opened, so it works while the daemon runs.
func TestAlert(ctx context.Context, cfg *config.Config, rule string, out io.Writer) error {
	if rule == "" {
		return errors.New("name the rule with -rule")
	}
	res, err := alerts.Test(ctx, cfg, alerts.Deps{DataDir: cfg.Earshot.DataDir, UA: httpx.UserAgent("", cfg.Earshot.Contact)}, rule, time.Now())
	if err != nil {
		return err
	}
	failed := 0
	for _, r := range res {
		switch {
		case r.Err != nil:
			failed++
			fmt.Fprintf(out, "%s: FAILED: %v\n", r.Channel, r.Err)
		case r.Where != "":
			fmt.Fprintf(out, "%s: written to %s\n", r.Channel, r.Where)
		default:
			fmt.Fprintf(out, "%s: delivered\n", r.Channel)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d channel(s) failed", failed, len(res))
	}
	return nil
}
