package registry

import (
	"strings"
	"unicode"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/mastodon"
)

// buildMastodon follows the configured hashtags (default: every brand term
// written as a hashtag), full-text queries when a token is set, and the
// brands' accounts on the instance.
func buildMastodon(cfg *config.Config, s config.Source, d Deps) (listener.Source, listener.Budget, error) {
	tags := s.Hashtags
	if len(tags) == 0 && len(s.Queries) == 0 {
		for _, t := range queries(cfg, s) {
			if h := hashtag(t); h != "" {
				tags = appendMissing(tags, h)
			}
		}
	}
	var qs []string
	if s.Secrets["token"] != "" {
		qs = s.Queries
	}
	return mastodon.New(mastodon.Config{Name: s.Name, BaseURL: s.BaseURL, Hashtags: tags, Queries: qs,
		Accounts: accounts(cfg, config.NetworkMastodon), Token: s.Secrets["token"], Lookback: s.Lookback.Std()},
		d.Fetcher, d.Clock), nil, nil
}

// hashtag writes a term as a hashtag: letters and digits only ("Acme Corp"
// → "AcmeCorp", "아크미" → "아크미").
func hashtag(term string) string {
	var b strings.Builder
	for _, r := range term {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
