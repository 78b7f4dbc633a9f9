// Package digest sends the weekly competitor digest: a short e-mail, built
// from the competitive gap report (analysis/report), that a marketer reads
// on Monday morning.
//
// # Contract
//
//   - Schedule: a 5-field cron spec (or @weekly/@daily/@monthly/@yearly)
//     read as wall-clock time in earshot.timezone, DST included (0 9 * * MON
//     in America/New_York is 09:00 local before and after the November
//     change). Next and Prev are pure; the Runner reads time only through its
//     injected clock.
//   - Period: a digest reports on one ISO week, the last complete week before
//     the scheduled time (PeriodFor: the week of fire − 7 days), covering its
//     Monday to Sunday in the configured zone. A schedule firing more often
//     than weekly sends at most once per week and recipient.
//   - Exactly-once per period and recipient, as far as SMTP allows: every
//     outcome is recorded in bbolt (store.MarkDigest) before the next
//     recipient; a recipient whose record is sent, outbox or failed is
//     skipped, so a restart never sends twice. A crash between the server's
//     250 and the commit resends once; the Message-ID is derived from period
//     and recipient, so the copy carries the same ID.
//   - Catch-up: on start the Runner sends the latest scheduled period if it
//     is not recorded (once; older missed periods are not sent) unless that
//     time is before digests first ran on the data dir (no surprise e-mail
//     on a new installation).
//   - Failures: 4xx replies, network errors and dropped connections are
//     retried with doubling backoff up to MaxAttempts; a 5xx reply, a failed
//     login or an unverifiable certificate is permanent. The final failure
//     is logged, recorded (status failed, with the error), reported to
//     OnSend, and the message is kept in data_dir/outbox/undelivered/ so
//     nothing is lost; `earshot digest -send` resends.
//   - Without smtp_host, digests are written to data_dir/outbox/ as .eml
//     files (atomically, one per period and recipient).
//   - The message is multipart/alternative (text/plain and text/html, both
//     UTF-8, quoted-printable), with an RFC 2047 subject; the HTML uses
//     tables and inline styles only: no external assets, no scripts. Per-
//     recipient filters narrow brands (the own brand always stays) and
//     networks (the report is built for those networks).
//   - Content: the findings first (report.Findings, at most 5; with fewer
//     than report.MinFindings, report.FewFindings says why); sparklines
//     over the weeks since the first mention (12 on a settled install, none
//     for a single week), with a label saying how many. A recipient with
//     lang = "ko" reads every word of the body in Korean — the digest's
//     phrases, the findings, the report's notes (Report.BriefNotesIn),
//     network names (the networks table's LabelKo) and the default
//     subject — except what it quotes: posts, authors, emerging words and
//     the names the team configured.
package digest
