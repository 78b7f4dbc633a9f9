package reddit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/earshot/earshot/listener"
)

// cursor is the saved state, per chain key.
type cursor struct {
	Chains map[string]chainState `json:"chains"`
	// Start is the chain to poll first: the one a stop (rate limit, budget)
	// reached last time, so that no chain starves behind the others.
	Start string `json:"start,omitempty"`
}

// Fetch implements listener.Source.
func (s *Source) Fetch(ctx context.Context, raw []byte) ([]listener.Post, []byte, error) {
	if s.f == nil {
		return nil, nil, errors.New("reddit: no fetcher")
	}
	if err := s.cfg.Validate(); err != nil {
		return nil, nil, fmt.Errorf("reddit %s: %w", s.cfg.Name, err)
	}
	var cur cursor
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &cur); err != nil {
			return nil, nil, fmt.Errorf("reddit %s: bad cursor: %w", s.cfg.Name, err)
		}
	}
	next := cursor{Chains: map[string]chainState{}}
	floor := s.clock().Add(-s.cfg.Lookback).Unix()
	owners := s.owners()

	var (
		posts    []listener.Post
		errs     []error
		seen     = map[string]bool{}
		progress bool
		tried    = map[string]bool{} // accounts whose profile was loaded
		missing  = map[string]bool{} // accounts Reddit does not know
	)
	chains := rotate(s.chains(), cur.Start)
	for i, c := range chains {
		st, had := cur.Chains[c.key]
		if !had {
			st = chainState{Since: floor}
		}
		if had {
			next.Chains[c.key] = st
		}
		if c.account != "" && !tried[c.account] {
			tried[c.account] = true
			if err := s.loadProfile(ctx, c.account); err != nil {
				errs = append(errs, fmt.Errorf("reddit %s: account %q: %w", s.cfg.Name, c.account, err))
				if stops(err) {
					next.Start = c.key
					s.keep(&next, &cur, chains[i+1:])
					break
				}
				// A missing or suspended account has no posts to read; other
				// failures only cost the followers count.
				missing[c.account] = isStatus(err, http.StatusNotFound, http.StatusForbidden)
			}
		}
		if missing[c.account] {
			continue
		}
		items, nst, ok, err := s.run(ctx, c, st)
		if ok {
			progress = true
			next.Chains[c.key] = nst
		}
		for _, it := range items {
			if seen[it.post.NativeID] {
				continue
			}
			seen[it.post.NativeID] = true
			posts = append(posts, s.own(it.post, owners))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("reddit %s: %s: %w", s.cfg.Name, c.key, err))
			if stops(err) {
				next.Start = c.key
				if ok && nst.Gap == nil {
					next.Start = chains[(i+1)%len(chains)].key
				}
				s.keep(&next, &cur, chains[i+1:])
				break
			}
		}
	}
	if !progress {
		return nil, nil, errors.Join(errs...)
	}
	b, err := json.Marshal(next)
	if err != nil {
		return nil, nil, fmt.Errorf("reddit %s: encode cursor: %w", s.cfg.Name, err)
	}
	return posts, b, errors.Join(errs...)
}

// rotate puts the chain named start first, keeping the cyclic order.
func rotate(chains []chain, start string) []chain {
	for i, c := range chains {
		if c.key == start {
			return append(append([]chain{}, chains[i:]...), chains[:i]...)
		}
	}
	return chains
}

// isStatus reports whether err is an HTTP error with one of codes.
func isStatus(err error, codes ...int) bool {
	var he *listener.HTTPError
	if !errors.As(err, &he) {
		return false
	}
	for _, c := range codes {
		if he.StatusCode == c {
			return true
		}
	}
	return false
}

// keep carries the saved state of chains not tried into next.
func (s *Source) keep(next, cur *cursor, rest []chain) {
	for _, c := range rest {
		if st, ok := cur.Chains[c.key]; ok {
			next.Chains[c.key] = st
		}
	}
}

// owners maps lowercased usernames to brands.
func (s *Source) owners() map[string]string {
	m := map[string]string{}
	for _, a := range s.cfg.Accounts {
		if name := strings.ToLower(cleanHandle(a.Handle)); name != "" {
			if _, dup := m[name]; !dup {
				m[name] = a.Brand
			}
		}
	}
	return m
}

// own marks a post written by a configured account.
func (s *Source) own(p listener.Post, owners map[string]string) listener.Post {
	name := strings.ToLower(p.Author)
	brand, ok := owners[name]
	if !ok || name == "" {
		return p
	}
	p.Owned, p.OwnedBrand = true, brand
	s.mu.Lock()
	pr, ok := s.about[name]
	s.mu.Unlock()
	if ok {
		p.AuthorFollowers, p.AuthorName = pr.Followers, pr.DisplayName
	}
	return p
}
