package daum

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/kosearch"
)

// search pages through one query of one kind, newest first (see
// kosearch.Search): page = 1, 2, ... with size results per call, within
// the kind's limits.
func (s *Source) search(ctx context.Context, kind, q string, old *searchState) ([]listener.Post, *searchState, error) {
	now := s.clock().UTC()
	lim := limits[kind]
	size := min(s.cfg.Size, lim.size)
	pages := min(s.cfg.MaxPages, lim.page)
	floor := now.Add(-s.cfg.Lookback)
	return kosearch.Search{
		Old:        old,
		FirstFloor: floor,
		LaterFloor: floor,
		Pages:      pages,
		FirstPages: pages,
		Budget:     s.budget,
		Mark:       s.markOwned,
		Page: func(ctx context.Context, page int) ([]kosearch.Item, bool, error) {
			u := s.searchURL(kind, q, page+1, size)
			resp, err := s.f.Get(ctx, u, s.header())
			if err != nil {
				return nil, false, explain(err)
			}
			env, err := decodeEnvelope(resp.Body)
			if err != nil {
				return nil, false, fmt.Errorf("decode %s: %w", u, err)
			}
			var items []kosearch.Item
			for i := range env.Documents {
				if m, ok := env.Documents[i].toPost(kind, now); ok {
					items = append(items, kosearch.Item{Post: m.post, Latest: m.latest})
				}
			}
			return items, !env.Meta.IsEnd && len(env.Documents) >= size, nil
		},
	}.Run(ctx)
}

// markOwned flags results from a configured brand blog or café.
func (s *Source) markOwned(p *listener.Post) {
	a := strings.ToLower(p.Author)
	for h, brand := range s.owned {
		if a == h || strings.HasSuffix(a, "/"+h) {
			p.Owned, p.OwnedBrand = true, brand
			return
		}
	}
}

func (s *Source) searchURL(kind, q string, page, size int) string {
	v := url.Values{}
	v.Set("query", q)
	v.Set("sort", "recency")
	v.Set("page", strconv.Itoa(page))
	v.Set("size", strconv.Itoa(size))
	return s.cfg.BaseURL + "/v2/search/" + kind + "?" + v.Encode()
}

func (s *Source) header() http.Header {
	h := http.Header{}
	h.Set("Accept", "application/json")
	h.Set("Authorization", "KakaoAK "+strings.TrimSpace(s.cfg.APIKey))
	return h
}
