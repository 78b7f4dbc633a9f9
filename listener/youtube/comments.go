package youtube

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/htmltext"
)

// fetchComments reads new comment threads related to each account's
// channel (allThreadsRelatedToChannelId: where customers talk to the brand)
// and under each followed video, newest followed video first.
func (r *run) fetchComments(ctx context.Context, accounts []listener.Account) {
	for _, a := range accounts {
		st, ok := r.next.Channels[a.Handle]
		if !ok || st.ID == "" || r.done(ctx) {
			continue
		}
		m := st.Comments
		if m.Since.IsZero() {
			m = mark{Since: r.floor}
		}
		params := url.Values{"allThreadsRelatedToChannelId": {st.ID}}
		nm, err := r.threads(ctx, params, m)
		if err != nil {
			r.fail(fmt.Sprintf("account %q comments", a.Handle), err)
			continue
		}
		r.ok++
		st.Comments = nm
		r.next.Channels[a.Handle] = st
	}
	ids := make([]string, 0, len(r.next.Videos))
	for id := range r.next.Videos {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := r.next.Videos[ids[i]].Published, r.next.Videos[ids[j]].Published
		if !a.Equal(b) {
			return a.After(b)
		}
		return ids[i] < ids[j]
	})
	for i, id := range ids {
		if i >= r.s.cfg.MaxCommentVideos || r.done(ctx) {
			break
		}
		v := r.next.Videos[id]
		nm, err := r.threads(ctx, url.Values{"videoId": {id}}, v.Comments)
		switch {
		case errors.Is(err, ErrCommentsDisabled):
			r.s.cfg.Logger.Debug().Str("video", id).Msg("youtube: comments disabled, not following")
			delete(r.next.Videos, id)
			continue
		case notFound(err):
			r.s.cfg.Logger.Debug().Str("video", id).Msg("youtube: video gone, not following")
			delete(r.next.Videos, id)
			continue
		case err != nil:
			r.fail(fmt.Sprintf("video %s comments", id), err)
			continue
		}
		r.ok++
		v.Comments = nm
		r.next.Videos[id] = v
	}
}

// threads pages one comment thread listing newest first and adds the new
// comments and replies; it returns the listing's next watermark. Posts are
// added only when every page succeeded.
func (r *run) threads(ctx context.Context, base url.Values, m mark) (mark, error) {
	adv := newAdvancer(m, r.now)
	var found []listener.Post
	var vids []string
	seen := map[string]bool{}
	token := ""
	for page := 0; page < r.s.cfg.CommentPages; page++ {
		params := url.Values{"part": {"snippet,replies"}, "order": {"time"}, "textFormat": {"plainText"}, "maxResults": {strconv.Itoa(min(100, 2*r.s.cfg.PageSize))}}
		for k, v := range base {
			params[k] = v
		}
		if token != "" {
			params.Set("pageToken", token)
		}
		var resp threadListResponse
		if err := r.s.call(ctx, CostList, "commentThreads", params, &resp); err != nil {
			return m, err
		}
		older := false
		for i := range resp.Items {
			th := &resp.Items[i]
			video := th.Snippet.VideoID
			if !validID(video) {
				continue
			}
			top := &th.Snippet.TopLevelComment
			cs := append([]comment{*top}, th.Replies.Comments...)
			for j := range cs {
				c := &cs[j]
				t, ok := parseTime(c.Snippet.PublishedAt)
				if !ok || !validID(c.ID) || seen[c.ID] {
					continue
				}
				if j == 0 && t.Before(m.Since) {
					older = true
				}
				if !m.isNew(t, c.ID) {
					continue
				}
				seen[c.ID] = true
				adv.add(t, c.ID)
				p := r.commentPost(c, video, t)
				if j == 0 {
					p.Engagement["replies"] = max(th.Snippet.TotalReplyCount, 0)
				}
				found = append(found, p)
				vids = append(vids, video)
			}
		}
		token = resp.NextPageToken
		if token == "" || older || len(resp.Items) == 0 {
			break
		}
	}
	for i, p := range found {
		if _, dup := r.index[p.NativeID]; dup {
			continue
		}
		r.videoOf[r.add(p)] = vids[i]
	}
	return adv.mark(), nil
}

// commentPost maps a comment (top-level or reply) to a Post.
func (r *run) commentPost(c *comment, video string, t time.Time) listener.Post {
	text := c.Snippet.TextOriginal
	if text == "" {
		text = htmltext.ToText(c.Snippet.TextDisplay)
	}
	reply := video
	if c.Snippet.ParentID != "" && validID(c.Snippet.ParentID) {
		reply = c.Snippet.ParentID
	}
	p := listener.Post{
		Network:    Network,
		NativeID:   c.ID,
		URL:        watchURL(video, c.ID),
		Text:       text,
		Author:     c.Snippet.AuthorChannelID.Value,
		AuthorName: c.Snippet.AuthorDisplayName,
		Published:  t,
		Engagement: map[string]int64{"likes": max(c.Snippet.LikeCount, 0)},
		ReplyTo:    reply,
		Links:      links(text),
	}
	r.markOwned(&p, p.Author)
	return p
}

func notFound(err error) bool {
	var he *listener.HTTPError
	return errors.As(err, &he) && he.StatusCode == 404
}
