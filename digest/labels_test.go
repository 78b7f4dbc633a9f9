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
		if nv := v.Networks[i]; nv.Label != n.Label || nv.Line != "Acme leads with 100.0%; Acme has 100.0%." {
			t.Errorf("%s: label %q, line %q; want the table's label %q", n.Name, nv.Label, nv.Line, n.Label)
		}
	}
}
