package digest

import (
	"testing"
	"time"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
)

// A digest heads each network with the networks table's label, and the
// all-networks row with the report's.
func TestNetworkHeadingsFromTable(t *testing.T) {
	r := &report.Report{Own: "Acme"}
	r.Voice.Networks = append(r.Voice.Networks, report.NetworkVoices{Network: "all", Category: 1,
		Brands: []report.BrandFigures{{Brand: "Acme", Mentions: 1, SOV: 100}}})
	for _, n := range config.Networks() {
		r.Voice.Networks = append(r.Voice.Networks, report.NetworkVoices{Network: n.Name, Category: 12, Mentions: 12, Leader: "Acme",
			Brands: []report.BrandFigures{{Brand: "Acme", Mentions: 12, SOV: 100, SOVChange: new(0.0)}}})
	}
	v := BuildView(r, Week{2026, 47}, config.Recipient{}, "", time.UTC)
	if len(v.Networks) != len(r.Voice.Networks) {
		t.Fatalf("%d network sections for %d networks", len(v.Networks), len(r.Voice.Networks))
	}
	if v.Networks[0].Label != "All networks" {
		t.Errorf("all-networks label %q", v.Networks[0].Label)
	}
	for i, n := range config.Networks() {
		nv := v.Networks[i+1]
		if nv.Label != n.Label || nv.Headline != n.Label+": Acme leads with 100.0% share of voice (0.0 pts)." {
			t.Errorf("%s: label %q, headline %q; want the table's label %q", n.Name, nv.Label, nv.Headline, n.Label)
		}
	}
}
