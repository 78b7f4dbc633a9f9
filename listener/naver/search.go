package naver

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
// kosearch.Search): display results per call, start = 1, 1+display, ... up
// to maxStart. The first read of a café search, which has no dates to stop
// at, reads one page only.
func (s *Source) search(ctx context.Context, kind, q string, old *searchState) ([]listener.Post, *searchState, error) {
	now := s.clock().UTC()
	pages := min(s.cfg.MaxPages, (maxStart-1)/s.cfg.Display+1)
	first := pages
	if kind == KindCafe {
		first = 1
	}
	return kosearch.Search{
		Old:        old,
		FirstFloor: now.Add(-s.cfg.Lookback),
		Pages:      pages,
		FirstPages: first,
		Budget:     s.budget,
		Mark:       s.markOwned,
		Page: func(ctx context.Context, page int) ([]kosearch.Item, bool, error) {
			start := 1 + page*s.cfg.Display
			u := s.searchURL(kind, q, start)
			resp, err := s.f.Get(ctx, u, s.header())
			if err != nil {
				return nil, false, explain(err)
			}
			env, err := decodeEnvelope(resp.Body)
			if err != nil {
				return nil, false, fmt.Errorf("decode %s: %w", u, err)
			}
			var items []kosearch.Item
			for i := range env.Items {
				if m, ok := env.Items[i].toPost(kind, now); ok {
					items = append(items, kosearch.Item{Post: m.post, Latest: m.latest})
				}
			}
			more := len(env.Items) >= s.cfg.Display && int64(start-1+len(env.Items)) < env.Total
			return items, more, nil
		},
	}.Run(ctx)
}

// markOwned flags results from a configured brand blog.
func (s *Source) markOwned(p *listener.Post) {
	if len(s.owned) == 0 {
		return
	}
	id, ok := strings.CutPrefix(p.Author, "blog.naver.com/")
	if !ok {
		return
	}
	if brand, ok := s.owned[strings.ToLower(id)]; ok {
		p.Owned, p.OwnedBrand = true, brand
	}
}

func (s *Source) searchURL(kind, q string, start int) string {
	v := url.Values{}
	v.Set("query", q)
	v.Set("display", strconv.Itoa(s.cfg.Display))
	v.Set("start", strconv.Itoa(start))
	v.Set("sort", "date")
	return s.cfg.BaseURL + strings.Replace(s.cfg.PathTemplate, "{kind}", kind, 1) + "?" + v.Encode()
}

func (s *Source) header() http.Header {
	h := http.Header{}
	h.Set("Accept", "application/json")
	h.Set(s.cfg.IDHeader, s.cfg.ClientID)
	h.Set(s.cfg.SecretHeader, s.cfg.ClientSecret)
	return h
}
