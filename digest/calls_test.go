package digest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
	"github.com/wneessen/go-mail"
)

// The digest says what the report does not call, in the reader's
// language: "new", "prev. partly collected" and "too few to call" for
// changes, "—" for unknown net sentiment.
func TestDigestSaysWhatTheReportDoesNotCall(t *testing.T) {
	r := &report.Report{Own: "Acme"}
	r.Voice.Networks = []report.NetworkVoices{
		{Network: "all", Category: 3, Mentions: 3, LeaderNote: "too few to call", Brands: []report.BrandFigures{
			{Brand: "Acme", Mentions: 2, SOV: 66.67, ChangeNote: "too few to call", SOVChangeNote: "too few to call"},
			{Brand: "Globex", Mentions: 1, SOV: 33.33, SOVChangeNote: "new"},
			{Brand: "Initech", SOVChangeNote: "prev. partly collected"}}},
	}
	for lang, want := range map[string][4]string{"en": {"too few to call", "new", "—", "prev. partly collected"},
		"ko": {"판단하기에 적음", "신규", "—", "이전 기간 일부만 수집"}} {
		v := BuildView(ViewInput{Report: r, Week: Week{2026, 47}, Recipient: config.Recipient{Lang: lang}, Loc: time.UTC})
		if got := [4]string{v.Voice[0].Change, v.Voice[1].Change, v.Voice[0].Net, v.Voice[2].Change}; got != want {
			t.Errorf("%s: notes = %q, want %q", lang, got, want)
		}
		if len(v.Findings) != 0 {
			t.Errorf("%s: findings on 3 mentions: %+v", lang, v.Findings)
		}
	}
}

// networkDiffers is the one rule for per-network lines; the fixture's
// Hacker News (Acme 26.6% vs 34.7% overall, same leader) is not shown, and
// Naver (leader Acme, not Globex) is.
func TestNetworkDiffers(t *testing.T) {
	r := fixtureReport(nil)
	all, hn, naver := &r.Voice.Networks[0], &r.Voice.Networks[1], &r.Voice.Networks[2]
	if networkDiffers(all, hn, "Acme") || !networkDiffers(all, naver, "Acme") {
		t.Errorf("differs: hn %v naver %v", networkDiffers(all, hn, "Acme"), networkDiffers(all, naver, "Acme"))
	}
	hn.Brands[0].SOV = all.Brands[0].SOV - differsPts // exactly 10 pts away: differs
	if !networkDiffers(all, hn, "Acme") {
		t.Error("a network 10 pts from the overall share is not shown")
	}
	hn.Mentions = minCall - 1
	if networkDiffers(all, hn, "Acme") {
		t.Error("a network below the sample is shown")
	}
	v := BuildView(ViewInput{Report: fixtureReport(nil), Week: Week{2026, 47}, Loc: time.UTC})
	if len(v.Networks) != 1 || v.Networks[0].Label != config.NetworkLabel("naver") {
		t.Errorf("network lines = %+v", v.Networks)
	}
}

// A filtered recipient: hidden competitors summed as Others so shares add
// to 100%; goals are the unfiltered report's.
func TestFilteredRecipientScopes(t *testing.T) {
	rc := config.Recipient{Email: "park@acme.example", Brands: []string{"Globex"}, Networks: []string{"naver"}}
	filtered, unfiltered := fixtureReport(rc.Networks), fixtureReport(nil)
	filtered.Goals.Goals = nil // a filtered report's goals would be over Naver only
	v := BuildView(ViewInput{Report: filtered, Unfiltered: unfiltered, Week: Week{2026, 47}, Recipient: rc, Loc: time.UTC})
	var names []string
	sum := 0.0
	for _, row := range v.Voice {
		names = append(names, row.Brand)
	}
	for _, b := range filtered.Voice.Networks[0].Brands {
		sum += b.SOV
	}
	if strings.Join(names, ",") != "Acme,Globex,Others" || !strings.Contains(v.Others, "Initech") {
		t.Errorf("rows %v, others %q", names, v.Others)
	}
	if last := v.Voice[2]; last.SOV != "16.1%" {
		t.Errorf("others SOV = %s, want Initech's 16.1%% (shares: %.1f)", last.SOV, sum)
	}
	if len(v.Goals) != 2 {
		t.Errorf("goals = %+v, want the company's 2", v.Goals)
	}
}

func TestWarningsLoopbackBaseURL(t *testing.T) {
	cfg := testConfig(t, t.TempDir(), `smtp_host = "smtp.acme.example"
from = "Earshot <e@acme.example>"`, nil)
	if w := Warnings(cfg); len(w) != 1 || !strings.Contains(w[0], "http://127.0.0.1:8089") {
		t.Errorf("loopback base_url: %v", w)
	}
	cfg.Digest.BaseURL = "https://earshot.acme.example"
	if w := Warnings(cfg); len(w) != 0 {
		t.Errorf("public base_url: %v", w)
	}
}

// failMailer fails every delivery temporarily while fail is set.
type failMailer struct {
	fail bool
	sent []string
}

func (m *failMailer) Deliver(_ context.Context, _ *mail.Msg, _, recipient string) (string, error) {
	if m.fail {
		return "", &DeliveryError{Err: errors.New("421 try later")}
	}
	m.sent = append(m.sent, recipient)
	return "", nil
}

// Sending semantics: -send skips what was delivered, -to targets one
// recipient, a failed forced resend keeps the earlier success, and a
// manual send that ran out of attempts stays pending for the daemon.
func TestSendSemantics(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir, "", nil)
	st := openStore(t, dir)
	defer st.Close()
	fm := &failMailer{}
	fb := &fixtureBuild{}
	clk := &fakeClock{now: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)}
	r, err := New(Options{Config: cfg, Ledger: st, Build: fb.Build, Mailer: fm, Clock: clk.Now, Sleep: clk.Sleep, MaxAttempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx, w := context.Background(), Week{2026, 47}
	if _, err := r.SendWith(ctx, w, SendOptions{To: "KIM@acme.example"}); err != nil || strings.Join(fm.sent, ",") != "kim@acme.example" {
		t.Fatalf("-to: sent %v, %v", fm.sent, err)
	}
	if _, err := r.SendWith(ctx, w, SendOptions{To: "nobody@acme.example"}); !errors.Is(err, ErrUnknownRecipient) {
		t.Errorf("unknown -to: %v", err)
	}
	res, _ := r.SendWith(ctx, w, SendOptions{})
	if len(fm.sent) != 2 || res[0].Status != "skipped" {
		t.Errorf("resent without -force: %v %+v", fm.sent, res)
	}
	fm.fail = true
	if _, err := r.SendWith(ctx, w, SendOptions{Force: true, KeepPending: true}); err != nil {
		t.Fatal(err)
	}
	for _, rc := range []string{"kim@acme.example", "park@acme.example"} {
		if rec, _, _ := st.DigestRecord("2026-W47", rc); rec.Status != store.DigestStatusSent {
			t.Errorf("%s: a failed forced resend replaced the success: %+v", rc, rec)
		}
	}
	w48 := Week{2026, 48}
	if _, err := r.SendWith(ctx, w48, SendOptions{To: "park@acme.example", KeepPending: true}); err != nil {
		t.Fatal(err)
	}
	if rec, _, _ := st.DigestRecord("2026-W48", "park@acme.example"); rec.Status != store.DigestStatusPending {
		t.Fatalf("manual send out of attempts = %+v, want pending", rec)
	}
	fm.fail = false
	if err := r.RetryPending(ctx); err != nil {
		t.Fatal(err)
	}
	if rec, _, _ := st.DigestRecord("2026-W48", "park@acme.example"); rec.Status != store.DigestStatusSent || fm.sent[len(fm.sent)-1] != "park@acme.example" {
		t.Errorf("the daemon did not retry the pending send: %+v", rec)
	}
}
