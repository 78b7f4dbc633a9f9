package report

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

// Two sources on Hacker News, hn-ko added later, and a goal there.
const (
	hnSource = `
[[source]]
name = "hn"
network = "hackernews"
lookback = "14d"
`
	hnKoSource = `
[[source]]
name = "hn-ko"
network = "hackernews"
lookback = "72h"
`
	hnGoal = `
[[goal]]
name = "hn mentions"
metric = "mentions"
network = "hackernews"
target = 20
deadline = "2026-12-31"
`
)

// coverageStore polls, by hand (UTC): hn first at 11-16 06:00 with a 14d
// lookback, which returns one Acme mention a day 11-03 .. 11-15 (covered
// from 11-02 06:00); then every evening at 23:00 that day's mentions: one
// a day 11-16 .. 11-19, six on 11-20. hn-ko first polls at 11-18 00:00
// with a 72h lookback and finds nothing (covered from 11-15 00:00).
func coverageStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop(), NoIndexer: true, Clock: func() time.Time { return fixNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	f := &fix{}
	poll := func(source string, at time.Time, lookback time.Duration, ms []store.Mention) {
		t.Helper()
		for i := range ms {
			ms[i].Source, ms[i].Fetched = source, at
		}
		cov := store.SourceCoverage{Network: "hackernews", Began: at, Lookback: lookback}
		if _, err := s.CommitPoll(source, ms, []byte("c"), cov); err != nil {
			t.Fatal(err)
		}
	}
	day := func(d, n int) []store.Mention {
		var out []store.Mention
		for i := 0; i < n; i++ {
			out = append(out, *f.add("hackernews", d, 8+float64(i)/10, "neutral", 1, "Acme"))
		}
		return out
	}
	var backfill []store.Mention
	for d := -13; d < 0; d++ {
		backfill = append(backfill, day(d, 1)...)
	}
	poll("hn", winStart.Add(6*time.Hour), 14*24*time.Hour, backfill)
	for d := 0; d < 5; d++ {
		n := 1
		if d == 4 {
			n = 6
		}
		if d == 2 {
			poll("hn-ko", winStart.AddDate(0, 0, 2), 72*time.Hour, nil)
		}
		poll("hn", winStart.AddDate(0, 0, d).Add(23*time.Hour), 0, day(d, n))
	}
	return s
}

// Coverage per source (issue 16): the network is collected from the LATEST
// of its configured sources' coverage; a source's first poll covers its
// lookback; a removed source no longer counts; a rebuild gives the same
// report. Hand-computed:
//
//	hn only: covered from 11-02 06:00. Acme on hackernews: window 4 + 6 =
//	10, previous week (11-09 .. 11-15) 7: change (10 − 7) ÷ 7 = +42.86%.
//	Spike on 11-20: 17 collected days (11-03 .. 11-19) of 1 mention, mean 1,
//	σ 0, threshold 1 < 6; 11-16 has 13 collected days: too short. Goal
//	weeks 11-09 (7) and 11-16 (10); 11-02 starts before 06:00 and is left
//	out: progress (10 − 7) ÷ (20 − 7) = 23.08%, on track.
//
//	hn and hn-ko: covered from 11-15 00:00 (hn-ko's 11-18 − 72h). The
//	previous week was partly collected: "prev. partly collected"; 1 collected day before
//	11-16, 5 before 11-20: no spike; one goal week: too early.
func TestCoveragePerSource(t *testing.T) {
	s := coverageStore(t)
	cfg := fixtureCfg(t, hnSource+hnKoSource+hnGoal)
	hnOnly := fixtureCfg(t, hnSource+hnGoal) // hn-ko removed from the config

	r := buildT(t, s, Request{Config: hnOnly, End: winEnd, Now: fixNow})
	acme := voiceOf(t, r, "hackernews", "Acme")
	if acme.Mentions != 10 || acme.MentionsPrev != 7 || acme.MentionsChange == nil || *acme.MentionsChange != 42.86 {
		t.Errorf("hn only: Acme %d vs %d, change %v %q; want 10 vs 7, +42.86", acme.Mentions, acme.MentionsPrev, acme.MentionsChange, acme.ChangeNote)
	}
	var spikes []string
	for _, sp := range r.Spikes.Spikes {
		spikes = append(spikes, sp.Network+" "+sp.Day)
		if sp.BaselineDays != 17 || sp.Mean != 1 || sp.Sigma != 0 || sp.Threshold != 1 || sp.Mentions != 6 {
			t.Errorf("hn only: spike %+v; want 6 against 17 days of mean 1", sp)
		}
	}
	if strings.Join(spikes, ", ") != "all 2026-11-20, hackernews 2026-11-20" {
		t.Errorf("hn only: spikes %q", spikes)
	}
	wantNote := "hackernews: baseline too short on 2026-11-16 (13 of 14 days collected): spikes are called from 2026-11-17"
	if !strings.Contains(strings.Join(r.Spikes.Notes, "\n"), wantNote) {
		t.Errorf("hn only: notes %q, want %q", r.Spikes.Notes, wantNote)
	}
	g := goalOf(t, r, "hn mentions")
	if strings.Join(g.WeekStarts, ",") != "2026-11-09,2026-11-16" || g.Baseline == nil || *g.Baseline != 7 ||
		g.Current == nil || *g.Current != 10 || g.Progress == nil || *g.Progress != 23.08 || g.Status != "on track" {
		t.Errorf("hn only: goal weeks %v baseline %v current %v progress %v %s", g.WeekStarts, deref(g.Baseline), deref(g.Current), deref(g.Progress), g.Status)
	}

	r = buildT(t, s, Request{Config: cfg, End: winEnd, Now: fixNow})
	acme = voiceOf(t, r, "hackernews", "Acme")
	if acme.MentionsChange != nil || acme.ChangeNote != notePrevPartial {
		t.Errorf("hn + hn-ko: change %v %q, want prev. partly collected", acme.MentionsChange, acme.ChangeNote)
	}
	if len(r.Spikes.Spikes) != 0 {
		t.Errorf("hn + hn-ko: spikes %+v with 5 collected days", r.Spikes.Spikes)
	}
	wantNote = "hackernews: baseline too short on 2026-11-16 (1 of 14 days collected): spikes are called from 2026-11-29"
	if !strings.Contains(strings.Join(r.Spikes.Notes, "\n"), wantNote) {
		t.Errorf("hn + hn-ko: notes %q, want %q", r.Spikes.Notes, wantNote)
	}
	if g := goalOf(t, r, "hn mentions"); strings.Join(g.WeekStarts, ",") != "2026-11-16" || g.Status != "too early" {
		t.Errorf("hn + hn-ko: goal weeks %v status %s", g.WeekStarts, g.Status)
	}

	// A third source, configured but not polled yet: the network counts as
	// never collected, and the report says why.
	hnNew := strings.Replace(hnKoSource, "hn-ko", "hn-new", 1)
	late := buildT(t, s, Request{Config: fixtureCfg(t, hnSource+hnKoSource+hnNew+hnGoal), End: winEnd, Now: fixNow})
	if g := goalOf(t, late, "hn mentions"); len(g.WeekStarts) != 0 || g.Status != "no data" {
		t.Errorf("hn-new not polled: goal weeks %v status %s", g.WeekStarts, g.Status)
	}
	wantNote = "hackernews: source hn-new has not completed a poll: no period counts as collected on hackernews until it does"
	if !strings.Contains(strings.Join(late.Meta.Notes, "\n"), wantNote) || strings.Contains(strings.Join(r.Meta.Notes, "\n"), "has not completed") {
		t.Errorf("notes %q, want %q (and not before hn-new was configured)", late.Meta.Notes, wantNote)
	}

	// Rebuild == incremental: the same report from the rebuilt rollups.
	before, _ := json.Marshal(r)
	if err := s.RebuildRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
	after, _ := json.Marshal(buildT(t, s, Request{Config: cfg, End: winEnd, Now: fixNow}))
	if !reflect.DeepEqual(before, after) {
		t.Errorf("the rebuilt report differs:\n%s\n%s", before, after)
	}
}

func voiceOf(t *testing.T, r *Report, network, brand string) BrandFigures {
	t.Helper()
	for _, n := range r.Voice.Networks {
		for _, b := range n.Brands {
			if n.Network == network && b.Brand == brand {
				return b
			}
		}
	}
	t.Fatalf("no %s row for %s", network, brand)
	return BrandFigures{}
}

func goalOf(t *testing.T, r *Report, name string) GoalStatus {
	t.Helper()
	for _, g := range r.Goals.Goals {
		if g.Name == name {
			return g
		}
	}
	t.Fatalf("no goal %q", name)
	return GoalStatus{}
}
