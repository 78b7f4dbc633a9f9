package demo

import (
	"slices"
	"testing"

	"github.com/earshot/earshot/config"
)

// The demo's closing line on alerts names the networks whose first poll
// reached back the two weeks the alert baselines need (the networks
// table's Backfill): a network is ready only when every source on it is.
func TestBackfilledNetworks(t *testing.T) {
	d := config.Duration(21 * day)
	ready, waiting := backfilled([]config.Source{
		{Network: config.NetworkHackerNews, Lookback: d},
		{Network: config.NetworkX, Lookback: d},                  // X's recent search: 7 days
		{Network: config.NetworkRSS, Lookback: d},                // a feed: no history
		{Network: config.NetworkReddit, Lookback: d},             //
		{Network: config.NetworkReddit, Name: "r2", Lookback: 0}, // a second Reddit source that reaches back nothing
		{Network: config.NetworkNaver, Lookback: config.Duration(14 * day)},
	})
	if want := []string{"Hacker News", "Naver"}; !slices.Equal(ready, want) {
		t.Errorf("ready %q, want %q", ready, want)
	}
	if want := []string{"News & blogs (RSS)", "Reddit", "X"}; !slices.Equal(waiting, want) {
		t.Errorf("waiting %q, want %q", waiting, want)
	}
}
