package registry

import (
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/naver"
)

// buildNaver searches Naver blogs, news and cafés, one call at a time from
// a daily budget (25,000 calls on the open API) whose day is Korean time.
func buildNaver(cfg *config.Config, s config.Source, d Deps) (listener.Source, listener.Budget, error) {
	b, err := budget(d, s)
	if err != nil {
		return nil, nil, err
	}
	return naver.New(naver.Config{Name: s.Name, BaseURL: s.BaseURL, PathTemplate: s.PathTemplate,
		Queries: queries(cfg, s), Kinds: s.Kinds, Accounts: accounts(cfg, config.NetworkNaver),
		ClientID: s.Secrets["client_id"], ClientSecret: s.Secrets["client_secret"],
		IDHeader: s.IDHeader, SecretHeader: s.SecretHeader, Lookback: s.Lookback.Std(),
		DailyBudget: s.DailyBudget}, d.Fetcher, d.Clock, b), b, nil
}
