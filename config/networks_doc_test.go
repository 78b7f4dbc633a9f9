package config

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/analysis/numfmt"
)

var updateDocs = flag.Bool("update", false, "rewrite the networks table in ../docs/networks.md from the code")

const (
	networksDoc   = "../docs/networks.md"
	networksBegin = "<!-- networks-table:begin -->"
	networksEnd   = "<!-- networks-table:end -->"
)

// networksMarkdown is the reference table of docs/networks.md, written
// from the networks table.
func networksMarkdown() string {
	var b strings.Builder
	b.WriteString("| network | label (Korean) | every (default) | floor | keys (**required**) | daily budget | engagement: interactions; *exposure* | first poll reaches back |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, n := range Networks() {
		var keys []string
		for _, k := range slices.Concat(n.Keys, n.Secrets, n.OptionalSecrets) {
			if slices.Contains(n.RequiredKeys(), k) {
				keys = append(keys, "**`"+k+"`**")
			} else {
				keys = append(keys, "`"+k+"`")
			}
		}
		fmt.Fprintf(&b, "| `%s` | %s (%s) | %s | %s | %s | %s | %s | %s |\n", n.Name, n.Label, NetworkLabelIn(n.Name, "ko"), fmtDuration(n.Every), fmtDuration(n.Floor),
			strings.Join(keys, ", "), budgetText(n.Budget), engagementText(n.Engagement), historyText(n.History))
	}
	return b.String()
}

// engagementText lists a network's engagement keys: interactions, then
// the exposure keys in italics; "–" when the network gives none.
func engagementText(m map[string]EngagementClass) string {
	var inter, expo []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if m[k] == Exposure {
			expo = append(expo, "*`"+k+"`*")
		} else {
			inter = append(inter, "`"+k+"`")
		}
	}
	if len(inter)+len(expo) == 0 {
		return "–"
	}
	return strings.Join(append(inter, expo...), ", ")
}

// historyText says how far back a first poll reaches: "lookback", capped
// where the API is, "none" where the network returns no history.
func historyText(h time.Duration) string {
	switch {
	case h <= 0:
		return "none (covered from the first poll)"
	case h >= MaxLookback:
		return "`lookback`"
	}
	if h%(24*time.Hour) == 0 {
		return fmt.Sprintf("`lookback`, at most %dd", h/(24*time.Hour))
	}
	return "`lookback`, at most " + fmtDuration(h)
}

func budgetText(b *Budget) string {
	if b == nil {
		return "–"
	}
	zone := "`earshot.timezone`"
	if b.Zone != "" {
		zone = b.Zone
	}
	if b.Default == 0 {
		return fmt.Sprintf("**required** %s (at most %s; %s), day in %s", b.Unit, numfmt.Count(int64(b.Max)), b.Why, zone)
	}
	return fmt.Sprintf("default %s %s (at most %s), day in %s", numfmt.Count(int64(b.Default)), b.Unit, numfmt.Count(int64(b.Max)), zone)
}

// The networks table of docs/networks.md is the code's: go test
// ./config -run TestNetworksDoc -update rewrites it (only between the
// markers; the rest of the page is prose).
func TestNetworksDoc(t *testing.T) {
	raw, err := os.ReadFile(networksDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	i, j := strings.Index(doc, networksBegin), strings.Index(doc, networksEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the markers %s … %s", networksDoc, networksBegin, networksEnd)
	}
	want := networksMarkdown()
	got := strings.TrimPrefix(doc[i+len(networksBegin):j], "\n")
	if got == want {
		return
	}
	if *updateDocs {
		doc = doc[:i+len(networksBegin)] + "\n" + want + doc[j:]
		if err := os.WriteFile(networksDoc, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s disagrees with the networks table (go test ./config -run TestNetworksDoc -update rewrites it); want between the markers:\n%s", networksDoc, want)
}
