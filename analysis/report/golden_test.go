package report

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/bench/gen"
	"github.com/earshot/earshot/store"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

const goldenDir = "testdata"

// TestGolden renders the hand-checked fixture report in every format and
// compares it byte for byte; go test -update rewrites the files.
func TestGolden(t *testing.T) {
	r := fixtureReport(t)
	for _, format := range Formats {
		var buf bytes.Buffer
		if err := Render(&buf, r, format); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		path := filepath.Join(goldenDir, "fixture."+format+".golden")
		if *update {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update once)", err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s differs from %s; run go test ./analysis/report -update and review the diff", format, path)
		}
	}
}

// TestSameDataSameBytes builds twice, and again after the rollups are
// rebuilt from the log: every format must be identical.
func TestSameDataSameBytes(t *testing.T) {
	s := fixtureStore(t, fixtureMentions())
	req := Request{Config: fixtureCfg(t, ""), End: winEnd, Now: fixNow}
	render := func() map[string]string {
		out := map[string]string{}
		r := buildT(t, s, req)
		for _, f := range Formats {
			var b bytes.Buffer
			if err := Render(&b, r, f); err != nil {
				t.Fatal(err)
			}
			out[f] = b.String()
		}
		return out
	}
	first := render()
	if err := s.RebuildRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
	for f, v := range render() {
		if v != first[f] {
			t.Errorf("%s output changed between runs on the same data", f)
		}
	}
}

func genStore(t testing.TB, n int) *store.Store {
	t.Helper()
	g := gen.New(gen.Options{Seed: 7, Mentions: n, Weeks: 12, Start: time.Date(2026, 9, 7, 0, 0, 0, 0, time.UTC),
		Brands: []string{"Acme", "Globex", "Initech"}})
	var ms []store.Mention
	for m, ok := g.Next(); ok; m, ok = g.Next() {
		ms = append(ms, m)
	}
	return fixtureStore(t, ms)
}

func TestPropertiesOverGeneratedData(t *testing.T) {
	s := genStore(t, 8000)
	cfg := fixtureCfg(t, "\n[[brand]]\nname = \"Umbrella\"\n")
	for _, period := range []string{"day", "week", "month"} {
		r := buildT(t, s, Request{Config: cfg, Period: period, End: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), Now: fixNow})
		for _, nv := range r.Voice.Networks {
			var sov, eng float64
			var mentions int64
			for _, b := range nv.Brands {
				sov, mentions = sov+b.SOV, mentions+b.Mentions
				if b.EngagementSOV != nil {
					eng += *b.EngagementSOV
				}
			}
			if mentions > 0 && (sov < 99.95 || sov > 100.05) {
				t.Errorf("%s %s: SOV sums to %v", period, nv.Network, sov)
			}
			if mentions > 0 && (nv.Network == "all" || givesInteractions(nv.Network)) && (eng < 99.9 || eng > 100.1) {
				t.Errorf("%s %s: engagement SOV sums to %v", period, nv.Network, eng)
			}
			for _, b := range nv.Brands {
				if nv.Network != "all" && !givesInteractions(nv.Network) && b.EngagementSOV != nil {
					t.Errorf("%s %s: engagement SOV %v where the network gives no interactions; want null", period, nv.Network, *b.EngagementSOV)
				}
			}
			u := nv.Brands[len(nv.Brands)-1]
			if u.Brand != "Umbrella" || u.Mentions != 0 || u.SOV != 0 || u.NetSentiment != nil || u.EngPerPost != nil || u.Reach != nil || u.Exposure != nil {
				t.Errorf("%s %s: brand without mentions = %+v; want zeros and nulls", period, nv.Network, u)
			}
		}
		if len(r.Voice.Networks) != 1+len(gen.Networks) {
			t.Errorf("%s: networks = %d", period, len(r.Voice.Networks))
		}
	}
}

func TestEmptyStoreDividesByNothing(t *testing.T) {
	s := fixtureStore(t, nil)
	r := buildT(t, s, Request{Config: fixtureCfg(t, ""), End: winEnd, Now: fixNow})
	if len(r.Voice.Networks) != 1 || r.Voice.Networks[0].Network != "all" {
		t.Fatalf("networks = %+v", r.Voice.Networks)
	}
	for _, b := range r.Voice.Networks[0].Brands {
		if b.SOV != 0 || b.NetSentiment != nil || b.MentionsChange != nil || b.EngPerPost != nil {
			t.Errorf("empty %s = %+v", b.Brand, b)
		}
	}
	for _, g := range r.Goals.Goals {
		if g.Status != "no data" {
			t.Errorf("goal %s on no data = %q", g.Name, g.Status)
		}
	}
	for _, f := range Formats {
		if err := Render(&bytes.Buffer{}, r, f); err != nil {
			t.Errorf("render empty %s: %v", f, err)
		}
	}
}

func TestBadRequests(t *testing.T) {
	s := fixtureStore(t, nil)
	cfg := fixtureCfg(t, "")
	for _, req := range []Request{
		{Config: cfg, Period: "year", End: winEnd},
		{Config: cfg, Networks: []string{"myspace"}, End: winEnd},
		{Config: nil, End: winEnd},
		{Config: cfg},
		{Config: cfg, End: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Hour)},
	} {
		if _, err := Build(context.Background(), s, req); !errors.Is(err, ErrBadRequest) {
			t.Errorf("Build(%+v) = %v, want ErrBadRequest", req, err)
		}
	}
	if err := Render(&bytes.Buffer{}, &Report{}, "pdf"); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestHostileTextIsEscaped(t *testing.T) {
	f := &fix{}
	m := f.add("reddit", 1, 9, "positive", 99, "Acme")
	m.Title = `<script>alert(1)</script>| *x* [y](z)`
	m.Text = "=HYPERLINK(\"http://evil\")\x1b[31m red \u202e"
	m.URL = "javascript:alert(1)"
	m2 := f.add("reddit", 2, 9, "positive", 50, "Acme")
	m2.Text = "=HYPERLINK(\"http://evil\") click"
	s := fixtureStore(t, f.ms)
	r := buildT(t, s, Request{Config: fixtureCfg(t, ""), End: winEnd, Now: fixNow})
	out := map[string]string{}
	for _, format := range Formats {
		var b bytes.Buffer
		if err := Render(&b, r, format); err != nil {
			t.Fatal(err)
		}
		out[format] = b.String()
	}
	if strings.Contains(out["html"], "<script>") || strings.Contains(out["html"], `href="javascript:`) {
		t.Error("html page carries the mention's script or javascript: link")
	}
	if !strings.Contains(out["html"], "&lt;script&gt;") {
		t.Error("html page lost the escaped title")
	}
	if strings.Contains(out["markdown"], "<script>") || strings.Contains(out["markdown"], "| *x*") {
		t.Error("markdown not escaped")
	}
	for _, f := range []string{"text", "markdown", "csv"} {
		if strings.ContainsAny(out[f], "\x1b\u202e") {
			t.Errorf("%s keeps control characters", f)
		}
	}
	if strings.Contains(out["csv"], ",=HYPERLINK") || strings.Contains(out["csv"], "\"=HYPERLINK") || !strings.Contains(out["csv"], "'=HYPERLINK") {
		t.Error("csv cell would run as a formula")
	}
}
