package registry

import (
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/x"
)

// buildX searches recent posts and follows the brands' timelines; reads are
// billed, so every request spends from the source's daily budget.
func buildX(cfg *config.Config, s config.Source, d Deps) (listener.Source, listener.Budget, error) {
	b, err := budget(d, s)
	if err != nil {
		return nil, nil, err
	}
	return x.New(x.Config{Name: s.Name, BaseURL: s.BaseURL, BearerToken: s.Secrets["bearer_token"],
		Queries: queries(cfg, s), Accounts: accounts(cfg, config.NetworkX), Lookback: s.Lookback.Std(),
		Logger: d.Logger}, d.Fetcher, d.Clock, b), b, nil
}
