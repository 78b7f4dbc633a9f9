package registry

import (
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/youtube"
)

// buildYouTube searches videos, follows the brands' channels and the
// comments under both, spending quota units from a daily budget that, like
// YouTube's own, resets at midnight Pacific time.
func buildYouTube(cfg *config.Config, s config.Source, d Deps) (listener.Source, listener.Budget, error) {
	b, err := budget(d, s)
	if err != nil {
		return nil, nil, err
	}
	skip := s.Comments != nil && !*s.Comments
	return youtube.New(youtube.Config{Name: s.Name, BaseURL: s.BaseURL, APIKey: s.Secrets["api_key"],
		Queries: queries(cfg, s), Accounts: accounts(cfg, config.NetworkYouTube), Lookback: s.Lookback.Std(),
		SkipComments: skip, Logger: d.Logger}, d.Fetcher, d.Clock, b), b, nil
}
