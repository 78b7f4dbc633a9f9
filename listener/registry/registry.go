package registry

import (
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/ingest"
)

// Deps are what sources are built with.
type Deps struct {
	Fetcher   *httpx.Fetcher
	Clock     func() time.Time
	Logger    zerolog.Logger
	UserAgent string
	// Version is Earshot's version, for networks whose rules want it in a
	// User-Agent of their own (Reddit); empty = the network's default.
	Version string
	// Budget makes the persistent daily budget of a source; nil means no
	// budgets (every source unlimited).
	Budget func(source string, limit int, loc *time.Location) listener.Budget
}

// builder makes one network's source from its config.
type builder func(cfg *config.Config, s config.Source, d Deps) (listener.Source, listener.Budget, error)

// builders are the constructors, one per row of the networks table
// (config.Networks), keyed by its names.
var builders = map[string]builder{
	config.NetworkHackerNews: buildHackerNews,
	config.NetworkRSS:        buildFeed,
	config.NetworkMastodon:   buildMastodon,
	config.NetworkBluesky:    buildBluesky,
	config.NetworkX:          buildX,
	config.NetworkReddit:     buildReddit,
	config.NetworkYouTube:    buildYouTube,
	config.NetworkNaver:      buildNaver,
	config.NetworkDaum:       buildDaum,
	config.NetworkWeb:        buildWeb,
}

// Networks lists the networks this build can poll: the networks table's.
func Networks() []string { return config.NetworkNames() }

// Jobs builds one scheduler job per configured source.
func Jobs(cfg *config.Config, d Deps) ([]ingest.Job, error) {
	if d.Clock == nil {
		d.Clock = time.Now
	}
	var jobs []ingest.Job
	for _, s := range cfg.Sources {
		b, ok := builders[s.Network]
		if !ok {
			return nil, fmt.Errorf("source %q: network %q is not supported by this build (known: %s)", s.Name, s.Network, strings.Join(Networks(), ", "))
		}
		src, budget, err := b(cfg, s, d)
		if err != nil {
			return nil, fmt.Errorf("source %q: %w", s.Name, err)
		}
		row, _ := config.LookupNetwork(s.Network)
		jobs = append(jobs, ingest.Job{Source: src, Every: s.Every.Std(), Timeout: s.Timeout.Std(), Budget: budget,
			Backfill: row.Backfill(s.Lookback.Std())})
	}
	for _, src := range ownedFeeds(cfg, d) {
		jobs = append(jobs, ingest.Job{Source: src, Every: 15 * time.Minute, Timeout: config.DefaultTimeout})
	}
	return jobs, nil
}

// queries are the source's configured queries, or else every brand term.
func queries(cfg *config.Config, s config.Source) []string { return cfg.SourceQueries(s) }

// accounts are the brands' handles on network.
func accounts(cfg *config.Config, network string) []listener.Account {
	var out []listener.Account
	for _, b := range cfg.Brands {
		for _, h := range b.Handles[network] {
			h = strings.TrimPrefix(strings.TrimSpace(h), "@")
			if h != "" {
				out = append(out, listener.Account{Brand: b.Name, Handle: h})
			}
		}
	}
	return out
}

// budget makes a source's daily budget when the deps can keep one; its day
// is in the zone of the network's budget in the networks table (nil, the
// deps' choice, when the table names none).
func budget(d Deps, s config.Source) (listener.Budget, error) {
	if d.Budget == nil || s.DailyBudget <= 0 {
		return nil, nil
	}
	var loc *time.Location
	if n, ok := config.LookupNetwork(s.Network); ok && n.Budget != nil && n.Budget.Zone != "" {
		l, err := time.LoadLocation(n.Budget.Zone)
		if err != nil {
			return nil, fmt.Errorf("%s budget zone: %w", s.Network, err)
		}
		loc = l
	}
	return d.Budget(s.Name, s.DailyBudget, loc), nil
}
