package digest

import (
	"testing"
	"time"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
)

// The digest says what the report does not call: no leader on a small
// sample or a tie, "new" and "too few to call" for changes, "—" for
// unknown interactions.
func TestDigestSaysWhatTheReportDoesNotCall(t *testing.T) {
	r := &report.Report{Own: "Acme"}
	r.Voice.Networks = []report.NetworkVoices{
		{Network: "all", Category: 3, Mentions: 3, LeaderNote: "too few to call", Brands: []report.BrandFigures{
			{Brand: "Acme", Mentions: 2, SOV: 66.67, ChangeNote: "too few to call", SOVChangeNote: "new"},
			{Brand: "Globex", Mentions: 1, SOV: 33.33, Interactions: new(int64(4))}}},
		{Network: "x", Category: 20, Mentions: 20, LeaderNote: "tie", Brands: []report.BrandFigures{
			{Brand: "Acme", Mentions: 10, SOV: 50}, {Brand: "Globex", Mentions: 10, SOV: 50}}},
	}
	v := BuildView(r, Week{2026, 47}, config.Recipient{}, "", time.UTC)
	if h := v.Networks[0].Headline; h != "All networks: 3 mentions of the brands, too few to call a leader." {
		t.Errorf("small-sample headline = %q", h)
	}
	if h := v.Networks[1].Headline; h != "X: no single leader (a tie)." {
		t.Errorf("tie headline = %q", h)
	}
	acme, globex := v.Networks[0].Brands[0], v.Networks[0].Brands[1]
	if acme.Change != "too few to call" || acme.SOVChange != "new" || acme.Interactions != "—" || globex.Interactions != "4" {
		t.Errorf("rows = %+v, %+v", acme, globex)
	}
}
