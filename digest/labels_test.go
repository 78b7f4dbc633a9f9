package digest

import (
	"testing"
	"time"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
)

// A digest names each network with the networks table's label.
func TestNetworkHeadingsFromTable(t *testing.T) {
	r := &report.Report{Own: "Acme"}
	r.Voice.Networks = append(r.Voice.Networks, report.NetworkVoices{Network: "all", Category: 1, Leader: "Globex",
		Brands: []report.BrandFigures{{Brand: "Acme", Mentions: 1, SOV: 100}}})
	for _, n := range config.Networks() {
		r.Voice.Networks = append(r.Voice.Networks, report.NetworkVoices{Network: n.Name, Category: 12, Mentions: 12, Leader: "Acme",
			Brands: []report.BrandFigures{{Brand: "Acme", Mentions: 12, SOV: 100, SOVChange: new(0.0)}}})
	}
	v := BuildView(ViewInput{Report: r, Week: Week{2026, 47}, Loc: time.UTC})
	if len(v.Networks) != len(config.Networks()) {
		t.Fatalf("%d network lines for %d networks", len(v.Networks), len(config.Networks()))
	}
	for i, n := range config.Networks() {
		if nv := v.Networks[i]; nv.Label != n.Label || nv.Line != "Acme leads with 100.0%." {
			t.Errorf("%s: label %q, line %q; want the table's label %q", n.Name, nv.Label, nv.Line, n.Label)
		}
	}
}

// A network line names the own brand once when it leads or nobody does,
// and a post from a network without counts says so instead of "0".
func TestLeadLineAndNullInteractions(t *testing.T) {
	nv := report.NetworkVoices{Brands: []report.BrandFigures{{Brand: "Acme", SOV: 60}, {Brand: "Globex", SOV: 40}}}
	for _, c := range []struct{ lang, leader, want string }{
		{"en", "Acme", "Acme leads with 60.0%."}, {"ko", "Acme", "Acme 선두 60.0%."},
		{"en", "Globex", "Globex leads with 40.0%; Acme has 60.0%."}, {"ko", "Globex", "Globex 선두 40.0%, Acme 60.0%."},
		{"en", "", "too few mentions to call a leader; Acme has 60.0%."},
	} {
		nv.Leader = c.leader
		if got := leadLine(report.NewLocale(c.lang), &nv, "Acme"); got != c.want {
			t.Errorf("%s leader %q: %q, want %q", c.lang, c.leader, got, c.want)
		}
	}
	for _, c := range []struct {
		lang, network string
		n             int64
		want          string
	}{
		{"en", "rss", 0, "no interaction counts"}, {"ko", "rss", 0, "반응 수 없음"},
		{"en", "hackernews", 0, "0 interactions"}, {"ko", "hackernews", 1234, "반응 1,234건"},
	} {
		if got := interactions(report.NewLocale(c.lang), c.network, c.n); got != c.want {
			t.Errorf("%s %s %d: %q, want %q", c.lang, c.network, c.n, got, c.want)
		}
	}
}

// Goal figures read in the recipient's words, with the report's units.
func TestGoalFigureUnits(t *testing.T) {
	for _, c := range []struct {
		lang, unit string
		v          float64
		want       string
	}{
		{"en", "% SOV", 40.14, "40.1% share of voice"}, {"ko", "% SOV", 50, "점유율 50%"},
		{"en", "hours", 0.74, "0.74 h"}, {"ko", "hours", 2, "2시간"}, {"ko", "mentions/week", 1200, "주당 언급 1,200건"},
		{"en", "%", 40, "40.0%"}, {"en", "widgets", 3.5, "3.5 widgets"},
	} {
		if got := goalFig(report.NewLocale(c.lang), &c.v, c.unit); got != c.want {
			t.Errorf("%s %v %s: %q, want %q", c.lang, c.v, c.unit, got, c.want)
		}
	}
}
