package registry

import (
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/daum"
)

// buildDaum searches Daum blogs, cafés, web documents and clips through
// Kakao's search API, one call at a time from a daily budget whose day is
// Korean time.
func buildDaum(cfg *config.Config, s config.Source, d Deps) (listener.Source, listener.Budget, error) {
	b, err := budget(d, s)
	if err != nil {
		return nil, nil, err
	}
	return daum.New(daum.Config{Name: s.Name, BaseURL: s.BaseURL, Queries: queries(cfg, s), Kinds: s.Kinds,
		APIKey: s.Secrets["api_key"], Accounts: accounts(cfg, config.NetworkDaum), Lookback: s.Lookback.Std(),
		DailyBudget: s.DailyBudget}, d.Fetcher, d.Clock, b), b, nil
}
