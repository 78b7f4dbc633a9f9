package registry

import (
	"context"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/feed"
)

func buildFeed(_ *config.Config, s config.Source, d Deps) (listener.Source, listener.Budget, error) {
	return feed.New(feed.Config{Name: s.Name, URLs: s.URLs, MaxItems: s.MaxItems, Lookback: s.Lookback.Std()}, d.Fetcher, d.Clock), nil, nil
}

// ownedFeeds follows each brand's own blog feeds (handles.rss = feed URLs):
// one implicit source per brand whose posts are all marked owned.
func ownedFeeds(cfg *config.Config, d Deps) []listener.Source {
	var out []listener.Source
	for _, b := range cfg.Brands {
		if len(b.Handles[config.NetworkRSS]) == 0 {
			continue
		}
		src := feed.New(feed.Config{Name: "owned-rss-" + b.Name, URLs: b.Handles[config.NetworkRSS],
			Lookback: config.DefaultLookback}, d.Fetcher, d.Clock)
		out = append(out, owned{Source: src, brand: b.Name})
	}
	return out
}

// owned marks every post of its source as published by brand.
type owned struct {
	listener.Source
	brand string
}

func (o owned) Fetch(ctx context.Context, cursor []byte) ([]listener.Post, []byte, error) {
	posts, next, err := o.Source.Fetch(ctx, cursor)
	for i := range posts {
		posts[i].Owned, posts[i].OwnedBrand = true, o.brand
	}
	return posts, next, err
}
