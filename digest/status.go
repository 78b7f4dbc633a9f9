package digest

import (
	"fmt"
	"strings"
	"time"

	"github.com/earshot/earshot/store"
)

// StatusLine summarises digest delivery for `earshot status`: the next
// scheduled send and the latest recorded outcome, e.g.
//
//	digest: next Mon 2026-11-30 09:00 KST (0 9 * * MON (Asia/Seoul)); last 2026-W47 to kim@acme.example: sent 2h ago
func StatusLine(s *Schedule, log []store.DigestRecord, now time.Time) string {
	var b strings.Builder
	b.WriteString("digest: ")
	if next := s.Next(now); next.IsZero() {
		fmt.Fprintf(&b, "schedule %s never fires", s)
	} else {
		fmt.Fprintf(&b, "next %s (%s)", next.In(s.Location()).Format("Mon 2006-01-02 15:04 MST"), s)
	}
	if len(log) == 0 {
		b.WriteString("; nothing sent yet")
		return b.String()
	}
	last := log[0]
	fmt.Fprintf(&b, "; last %s to %s: %s %s ago", last.Period, last.Recipient, last.Status, now.Sub(last.At).Round(time.Second))
	if last.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", last.Attempts)
	}
	if last.Error != "" {
		fmt.Fprintf(&b, " (%s)", truncate(last.Error, 120))
	}
	if last.File != "" {
		fmt.Fprintf(&b, " [%s]", last.File)
	}
	failed := 0
	for _, r := range log {
		if r.Period == last.Period && (r.Status == store.DigestStatusFailed || r.Status == store.DigestStatusPending) {
			failed++
		}
	}
	if failed > 0 {
		fmt.Fprintf(&b, "; %d recipient(s) of %s not delivered", failed, last.Period)
	}
	return b.String()
}
