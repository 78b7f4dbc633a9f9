package registry

import (
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/webcrawl"
)

// buildWeb crawls a site with CSS selectors (colly), obeying robots.txt.
func buildWeb(cfg *config.Config, s config.Source, d Deps) (listener.Source, listener.Budget, error) {
	return webcrawl.New(webcrawl.Config{Name: s.Name, StartURLs: s.StartURLs, AllowedDomains: s.AllowedDomains,
		ItemSelector: s.ItemSelector, TitleSelector: s.TitleSelector, TextSelector: s.TextSelector,
		AuthorSelector: s.AuthorSelector, TimeSelector: s.TimeSelector, TimeLayout: s.TimeLayout,
		LinkSelector: s.LinkSelector, ReplySelector: s.ReplySelector, Location: cfg.Earshot.Location,
		FollowPattern: s.FollowPattern, MaxPages: s.MaxPages, Delay: s.Delay.Std(), Parallelism: s.Parallelism,
		MaxBody: s.MaxBody, UserAgent: d.UserAgent, Lookback: s.Lookback.Std(),
		Accounts: accounts(cfg, config.NetworkWeb)}, d.Clock, d.Logger), nil, nil
}
