package webcrawl

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/earshot/earshot/listener"
)

// crawl is the state of one Fetch.
type crawl struct {
	s    *Source
	p    *plan
	c    *colly.Collector
	ctx  context.Context
	now  time.Time
	prev *cursor
	seen map[string]bool // permalinks seen by earlier fetches

	mu        sync.Mutex
	cond      *sync.Cond
	queue     []*url.URL
	queued    map[string]bool
	start     map[string]bool
	requested int // pages sent or in flight, against MaxPages
	inflight  int
	okPages   int
	pages     map[string]pageState
	cands     map[string]*cand
	order     []string
	errs      []error
}

type cand struct {
	post listener.Post
	own  bool
}

// Fetch implements listener.Source.
func (s *Source) Fetch(ctx context.Context, raw []byte) ([]listener.Post, []byte, error) {
	p, err := s.compile()
	if err != nil {
		return nil, nil, fmt.Errorf("web %s: %w", s.cfg.Name, err)
	}
	prev, err := decodeCursor(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("web %s: %w", s.cfg.Name, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("web %s: %w", s.cfg.Name, err)
	}
	c, err := s.newCollector(ctx, p)
	if err != nil {
		return nil, nil, fmt.Errorf("web %s: %w", s.cfg.Name, err)
	}
	cr := &crawl{s: s, p: p, c: c, ctx: ctx, now: s.clock().UTC(), prev: prev, seen: prev.seenSet(),
		queued: map[string]bool{}, start: map[string]bool{}, pages: map[string]pageState{}, cands: map[string]*cand{}}
	cr.cond = sync.NewCond(&cr.mu)
	for _, u := range p.starts {
		if !cr.queued[u.String()] {
			cr.queued[u.String()], cr.start[u.String()] = true, true
			cr.queue = append(cr.queue, u)
		}
	}
	var wg sync.WaitGroup
	for range s.cfg.Parallelism {
		wg.Add(1)
		go func() { defer wg.Done(); cr.worker() }()
	}
	wg.Wait()
	return cr.finish()
}

func (cr *crawl) worker() {
	for {
		cr.mu.Lock()
		for len(cr.queue) == 0 && cr.inflight > 0 && cr.ctx.Err() == nil {
			cr.cond.Wait()
		}
		if len(cr.queue) == 0 || cr.ctx.Err() != nil || cr.requested >= cr.s.cfg.MaxPages {
			cr.cond.Broadcast()
			cr.mu.Unlock()
			return
		}
		u := cr.queue[0]
		cr.queue = cr.queue[1:]
		cr.requested++
		cr.inflight++
		cr.mu.Unlock()

		res := cr.s.fetchPage(cr.ctx, cr.c, u)
		var pg *page
		if res.err == nil && res.skip == "" {
			var err error
			if pg, err = parsePage(res.body, res.final, &cr.p.sel, cr.now); err != nil {
				res.err = fmt.Errorf("%s: %w", u, err)
			}
		}

		cr.mu.Lock()
		cr.inflight--
		if res.noRequest {
			cr.requested--
		}
		cr.record(u, res, pg)
		cr.cond.Broadcast()
		cr.mu.Unlock()
	}
}

// record takes in one page's outcome; cr.mu is held.
func (cr *crawl) record(u *url.URL, res result, pg *page) {
	log := cr.s.log.Debug().Str("url", u.String())
	switch {
	case res.err != nil && cr.ctx.Err() != nil:
		return // the fetch was stopped: reported once by finish
	case res.err != nil && res.noRequest && !cr.start[u.String()]:
		log.Err(res.err).Msg("link skipped")
		return
	case res.err != nil:
		cr.errs = append(cr.errs, res.err)
		return
	case res.skip != "":
		log.Str("why", res.skip).Msg("page skipped")
		return
	}
	cr.okPages++
	st := pageState{Fetched: cr.now, ETag: res.header.Get("ETag"), LastModified: res.header.Get("Last-Modified")}
	st.Item = len(pg.items) == 1 && pg.items[0].ownPage
	cr.pages[u.String()] = st
	for _, it := range pg.items {
		cr.add(it)
	}
	log.Int("items", len(pg.items)).Int("links", len(pg.links)).Bool("noindex", pg.noindex).Msg("page crawled")
	if cr.p.follow == nil {
		return
	}
	for _, l := range pg.links {
		k := l.String()
		switch {
		case cr.queued[k], !cr.p.allowed(l), !cr.p.follow.MatchString(k):
		case cr.seen[k], cr.prev.Pages[k].Item:
			// an item already returned, or an item page already read
		default:
			cr.queued[k] = true
			cr.queue = append(cr.queue, l)
		}
	}
}

// add merges an item into the candidates; an item's own page wins over a
// listing, the listing filling what the own page lacks.
func (cr *crawl) add(it item) {
	id := it.post.NativeID
	if cr.seen[id] {
		return
	}
	old, ok := cr.cands[id]
	if !ok {
		cr.cands[id] = &cand{post: it.post, own: it.ownPage}
		cr.order = append(cr.order, id)
		return
	}
	if !it.ownPage || old.own {
		return
	}
	p, o := it.post, old.post
	p.Title = first(p.Title, o.Title)
	p.Text = first(p.Text, o.Text)
	p.Author = first(p.Author, o.Author)
	p.AuthorName = first(p.AuthorName, o.AuthorName)
	p.ReplyTo = first(p.ReplyTo, o.ReplyTo)
	p.Lang = first(p.Lang, o.Lang)
	if p.PublishedEstimated && !o.PublishedEstimated {
		p.Published, p.PublishedEstimated = o.Published, false
	}
	p.Links = union(p.Links, o.Links)
	old.post, old.own = p, true
}

// finish builds the posts and the next cursor.
func (cr *crawl) finish() ([]listener.Post, []byte, error) {
	name := cr.s.cfg.Name
	errs := make([]error, 0, len(cr.errs)+1)
	for _, e := range cr.errs {
		errs = append(errs, fmt.Errorf("web %s: %w", name, e))
	}
	if err := cr.ctx.Err(); err != nil {
		errs = append(errs, fmt.Errorf("web %s: crawl stopped: %w", name, err))
	}
	if cr.okPages == 0 {
		if len(errs) == 0 {
			errs = append(errs, fmt.Errorf("web %s: no page could be fetched", name))
		}
		return nil, nil, errors.Join(errs...)
	}
	floor := cr.now.Add(-cr.s.cfg.Lookback)
	if !cr.prev.Last.IsZero() {
		floor = cr.prev.Last.Add(-cr.s.cfg.Lookback)
	}
	next := &cursor{Last: cr.now, Items: append([]string(nil), cr.prev.Items...), Pages: map[string]pageState{}}
	if len(errs) > 0 && !cr.prev.Last.IsZero() {
		next.Last = cr.prev.Last // failed pages keep the older floor
	}
	for k, v := range cr.prev.Pages {
		next.Pages[k] = v
	}
	for k, v := range cr.pages {
		next.Pages[k] = v
	}
	var posts []listener.Post
	for _, id := range cr.order {
		p := cr.cands[id].post
		if !p.PublishedEstimated && p.Published.Before(floor) {
			next.Items = append(next.Items, id)
			continue
		}
		if len(posts) >= cr.s.cfg.MaxItems {
			continue // not marked seen: returned by a later fetch
		}
		cr.s.own(&p)
		posts = append(posts, p)
		next.Items = append(next.Items, id)
	}
	b, err := next.encode()
	if err != nil {
		return nil, nil, fmt.Errorf("web %s: %w", name, err)
	}
	return posts, b, errors.Join(errs...)
}

// own marks a post Owned per OwnedBrand or Accounts.
func (s *Source) own(p *listener.Post) {
	if s.cfg.OwnedBrand != "" {
		p.Owned, p.OwnedBrand = true, s.cfg.OwnedBrand
		return
	}
	host := ""
	if u, err := url.Parse(p.URL); err == nil {
		host = u.Hostname()
	}
	for _, a := range s.cfg.Accounts {
		h := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(a.Handle), "@"))
		if h == "" {
			continue
		}
		var ok bool
		if strings.Contains(h, ".") {
			ok = host == h || strings.HasSuffix(host, "."+h)
		} else {
			ok = strings.EqualFold(p.Author, h)
		}
		if ok {
			p.Owned, p.OwnedBrand = true, a.Brand
			return
		}
	}
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func union(a, b []string) []string {
	seen := make(map[string]bool, len(a)+len(b))
	var out []string
	for _, s := range append(append([]string(nil), a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
