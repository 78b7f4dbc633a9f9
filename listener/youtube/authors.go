package youtube

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Author cache limits: a channel's title, handle and subscribers are read
// again after authorTTL; the cache is emptied when it passes authorCap.
const (
	authorTTL = 24 * time.Hour
	authorCap = 20000
)

// authorInfo is what channels?part=snippet,statistics says of a channel.
type authorInfo struct {
	handle    string // snippet.customUrl ("@acmephones"), "" when none
	title     string
	followers int64 // 0 when hidden
	read      time.Time
}

// authorCache holds authorInfo by channel id, shared by the Fetches of one
// Source.
type authorCache struct {
	mu sync.Mutex
	m  map[string]authorInfo
}

func (c *authorCache) get(id string, now time.Time) (authorInfo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.m[id]
	return a, ok && now.Sub(a.read) < authorTTL
}

func (c *authorCache) put(id string, a authorInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= authorCap {
		c.m = map[string]authorInfo{}
	}
	c.m[id] = a
}

// fillAuthors gives posts a person can read instead of a channel id: for
// every post whose Author is a channel id, the channel's handle (customUrl)
// becomes Author, its title AuthorName (when the post has none) and its
// subscriber count AuthorFollowers (unless hidden), read with
// channels?part=snippet,statistics&id=… 50 channels a call (1 quota unit)
// and cached for a day. A failure leaves the ids and is logged, not an
// error of the fetch.
func (r *run) fillAuthors(ctx context.Context) {
	var need []string
	want := map[string]bool{}
	for i := range r.posts {
		id := r.posts[i].Author
		if !isChannelID(id) || want[id] {
			continue
		}
		if _, ok := r.s.authors.get(id, r.now); !ok {
			want[id] = true
			need = append(need, id)
		}
	}
	for len(need) > 0 && !r.stopped && ctx.Err() == nil {
		batch := need[:min(50, len(need))]
		need = need[len(batch):]
		params := url.Values{"part": {"snippet,statistics"}, "id": {strings.Join(batch, ",")}, "maxResults": {"50"}}
		var resp channelListResponse
		if err := r.s.call(ctx, CostList, "channels", params, &resp); err != nil {
			r.s.cfg.Logger.Debug().Err(err).Msg("youtube: channel names of authors")
			if stopAfter(err) {
				r.fail("author channels", err)
			}
			break
		}
		for i := range resp.Items {
			ch := &resp.Items[i]
			a := authorInfo{title: strings.TrimSpace(ch.Snippet.Title), read: r.now}
			if h := strings.TrimSpace(ch.Snippet.CustomURL); h != "" {
				a.handle = "@" + strings.TrimPrefix(h, "@")
			}
			if n, ok := count(map[string]string{"n": ch.Statistics.SubscriberCount}, "n"); ok && !ch.Statistics.HiddenSubscriberCount {
				a.followers = n
			}
			r.s.authors.put(ch.ID, a)
		}
	}
	for i := range r.posts {
		p := &r.posts[i]
		a, ok := r.s.authors.get(p.Author, r.now)
		if !isChannelID(p.Author) || !ok {
			continue
		}
		if p.AuthorName == "" {
			p.AuthorName = a.title
		}
		if p.AuthorFollowers == 0 {
			p.AuthorFollowers = a.followers
		}
		if a.handle != "" {
			p.Author = a.handle
		}
	}
}
