package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bolt "go.etcd.io/bbolt"
)

// eachPage is how many index hits SearchEach reads per step.
const eachPage = 500

// ErrStop may be returned by a SearchEach callback to end the walk early
// without an error.
var ErrStop = errors.New("stop")

// SearchEach calls fn for every mention req selects (past the paging window
// of Search), in req's sort order, at most limit times (limit <= 0: no
// limit). Page, Size and facets of req are ignored. Phrases and NEAR are
// verified as in Search, over every candidate. It holds no lock between
// steps, so a long walk does not block indexing; mentions committed during
// the walk may or may not be seen. It returns how many mentions fn saw.
func (s *Store) SearchEach(ctx context.Context, req SearchRequest, limit int, fn func(Mention) error) (int, error) {
	req.Page, req.Size, req.NoFacets = 1, 1, true
	if err := normalizeRequest(&req); err != nil {
		return 0, err
	}
	c, err := compileQuery(req.Query)
	if err != nil {
		return 0, err
	}
	bqr := bq.NewBooleanQuery([]bq.Query{c.q}, nil, nil)
	if f := filterQuery(req); f != nil {
		bqr.AddFilter(f)
	}
	n := 0
	var after []string
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		sr := bleve.NewSearchRequestOptions(bqr, eachPage, 0, false)
		setSort(sr, req.Sort, true)
		if after != nil {
			sr.SetSearchAfter(after)
		}
		res, err := s.searchWindow(ctx, sr, req.From, req.To, false)
		if err != nil {
			return n, err
		}
		if len(res.Hits) == 0 {
			return n, nil
		}
		var page []Mention
		err = s.db.View(func(tx *bolt.Tx) error {
			page = make([]Mention, 0, len(res.Hits))
			for _, dm := range res.Hits {
				m, ok, err := getTx(tx, dm.ID)
				if err != nil {
					return err
				}
				if !ok || (c.m != nil && !c.exact && !c.m.match(newEvalDoc(m.Title, m.Text))) {
					continue
				}
				page = append(page, m)
			}
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("store: load hits: %w", err)
		}
		// fn runs outside the bbolt transaction: a slow reader (a client
		// downloading an export) must not hold the database open.
		for _, m := range page {
			if limit > 0 && n >= limit {
				return n, nil
			}
			if err := fn(m); err != nil {
				if errors.Is(err, ErrStop) {
					return n, nil
				}
				return n, err
			}
			n++
		}
		if len(res.Hits) < eachPage {
			return n, nil
		}
		after = searchAfter(res.Hits[len(res.Hits)-1])
	}
}

// searchAfter returns the sort values that continue after dm. bleve
// reports the score's sort value as the placeholder "_score"; the next
// request needs the score itself.
func searchAfter(dm *search.DocumentMatch) []string {
	after := slices.Clone(dm.Sort)
	for i, v := range after {
		if v == "_score" {
			after[i] = strconv.FormatFloat(dm.Score, 'g', -1, 64)
		}
	}
	return after
}
