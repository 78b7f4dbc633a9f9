package report

import (
	"testing"

	"github.com/earshot/earshot/config"
)

func TestNetworkLabel(t *testing.T) {
	if got := NetworkLabel(allNetworks); got != "All networks" {
		t.Errorf("NetworkLabel(%q) = %q", allNetworks, got)
	}
	for _, n := range config.Networks() {
		if got := NetworkLabel(n.Name); got != n.Label || got == "" {
			t.Errorf("NetworkLabel(%q) = %q, want the table's %q", n.Name, got, n.Label)
		}
	}
	if got := NetworkLabel("myspace"); got != "myspace" {
		t.Errorf("an unknown network is labelled %q", got)
	}
}

// The report's network filter accepts the networks table's names and no
// other, and top domains come from the networks whose row says OwnHosts.
func TestNetworksFromTable(t *testing.T) {
	names := config.NetworkNames()
	got, err := networkFilter(append([]string{allNetworks, ""}, names...))
	if err != nil || len(got) != len(names) {
		t.Errorf("networkFilter(table names) = %v, %v", got, err)
	}
	if _, err := networkFilter([]string{"myspace"}); err == nil {
		t.Error("networkFilter accepted an unknown network")
	}
	for _, n := range config.Networks() {
		if ownHosts[n.Name] != n.OwnHosts {
			t.Errorf("%s: own hosts %v, table says %v", n.Name, ownHosts[n.Name], n.OwnHosts)
		}
	}
}
