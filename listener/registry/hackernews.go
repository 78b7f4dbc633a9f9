package registry

import (
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/hackernews"
)

// buildHackerNews searches every query plus the brands' handles (Algolia
// matches author names too).
func buildHackerNews(cfg *config.Config, s config.Source, d Deps) (listener.Source, listener.Budget, error) {
	qs := queries(cfg, s)
	if len(s.Queries) == 0 {
		for _, a := range accounts(cfg, config.NetworkHackerNews) {
			qs = appendMissing(qs, a.Handle)
		}
	}
	return hackernews.New(hackernews.Config{Name: s.Name, BaseURL: s.BaseURL, Queries: qs, Tags: s.Tags,
		Lookback: s.Lookback.Std()}, d.Fetcher, d.Clock), nil, nil
}

func appendMissing(list []string, s string) []string {
	for _, v := range list {
		if v == s {
			return list
		}
	}
	return append(list, s)
}
