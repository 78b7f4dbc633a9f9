package registry

import (
	"strings"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/reddit"
)

// buildReddit searches Reddit (or the listed subreddits) with client
// credentials and follows the brands' accounts.
func buildReddit(cfg *config.Config, s config.Source, d Deps) (listener.Source, listener.Budget, error) {
	var accs []listener.Account
	for _, a := range accounts(cfg, config.NetworkReddit) {
		a.Handle = strings.TrimPrefix(a.Handle, "u/")
		accs = append(accs, a)
	}
	rc := reddit.Config{Name: s.Name, BaseURL: s.BaseURL, AuthURL: s.AuthURL, Queries: queries(cfg, s),
		Accounts: accs, Subreddits: s.Subreddits, Lookback: s.Lookback.Std(),
		ClientID: s.Secrets["client_id"], ClientSecret: s.Secrets["client_secret"],
		AppID: s.AppID, Username: s.Username, Version: d.Version}
	if err := rc.Validate(); err != nil {
		return nil, nil, err
	}
	return reddit.New(rc, d.Fetcher, d.Clock, nil), nil, nil
}
