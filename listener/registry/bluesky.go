package registry

import (
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/bluesky"
)

// buildBluesky logs in once with the app password, searches the queries and
// follows the brands' author feeds. Bluesky has no daily budget.
func buildBluesky(cfg *config.Config, s config.Source, d Deps) (listener.Source, listener.Budget, error) {
	return bluesky.New(bluesky.Config{Name: s.Name, BaseURL: s.BaseURL, Identifier: s.Identifier,
		Password: s.Secrets["password"], Queries: queries(cfg, s), Accounts: accounts(cfg, config.NetworkBluesky),
		Lookback: s.Lookback.Std()}, d.Fetcher, d.Clock, nil), nil, nil
}
