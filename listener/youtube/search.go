package youtube

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
)

// fetchQuery runs one query's chain: search pages newest first from the
// query's watermark. The chain's posts are kept only when every page
// succeeded, so a failure never moves the watermark past unseen videos.
func (r *run) fetchQuery(ctx context.Context, q string) {
	if r.done(ctx) {
		return
	}
	m, had := r.prev.Queries[q]
	if !had || m.Since.IsZero() {
		m = mark{Since: r.floor}
	}
	adv := newAdvancer(m, r.now)
	var found []listener.Post
	seen := map[string]bool{}
	token := ""
	for page := 0; page < r.s.cfg.MaxPages; page++ {
		params := url.Values{
			"part": {"snippet"}, "q": {q}, "type": {"video"}, "order": {"date"},
			"publishedAfter": {m.Since.UTC().Format(time.RFC3339)},
			"maxResults":     {strconv.Itoa(r.s.cfg.PageSize)},
		}
		if token != "" {
			params.Set("pageToken", token)
		}
		var resp searchResponse
		if err := r.s.call(ctx, CostSearch, "search", params, &resp); err != nil {
			r.fail(fmt.Sprintf("query %q", q), err)
			return
		}
		for i := range resp.Items {
			it := &resp.Items[i]
			id := it.ID.VideoID
			t, ok := parseTime(it.Snippet.PublishedAt)
			if !ok || !validID(id) || seen[id] || !m.isNew(t, id) {
				continue
			}
			seen[id] = true
			adv.add(t, id)
			found = append(found, r.videoPost(id, &it.Snippet, t, true))
		}
		token = resp.NextPageToken
		if token == "" || len(resp.Items) == 0 {
			break
		}
	}
	r.ok++
	r.next.Queries[q] = adv.mark()
	for _, p := range found {
		if _, dup := r.index[p.NativeID]; dup {
			continue
		}
		r.add(p)
		r.fresh = append(r.fresh, p.NativeID)
		r.follow(p)
	}
}

// enrichVideos fetches statistics and full snippets of the videos found in
// this fetch, 50 ids a call: Engagement (views, likes, comments), the full
// description (search snippets are truncated) and the declared language.
// A failure here leaves the posts without counts and is reported; it does
// not hold back the cursors.
func (r *run) enrichVideos(ctx context.Context) {
	ids := r.fresh
	for len(ids) > 0 && !r.done(ctx) {
		batch := ids[:min(50, len(ids))]
		ids = ids[len(batch):]
		vids, err := r.videos(ctx, batch)
		if err != nil {
			r.fail("video statistics", err)
			return
		}
		for i := range vids {
			v := &vids[i]
			pos, ok := r.index[v.ID]
			if !ok {
				continue
			}
			applyVideo(&r.posts[pos], v)
		}
	}
}

func (r *run) videos(ctx context.Context, ids []string) ([]video, error) {
	params := url.Values{"part": {"snippet,statistics"}, "id": {strings.Join(ids, ",")}, "maxResults": {"50"}}
	var resp videoListResponse
	if err := r.s.call(ctx, CostList, "videos", params, &resp); err != nil {
		return nil, err
	}
	return resp.Items, nil
}

func applyVideo(p *listener.Post, v *video) {
	eng := map[string]int64{}
	for key, name := range map[string]string{"viewCount": "views", "likeCount": "likes", "commentCount": "comments"} {
		if n, ok := count(v.Statistics, key); ok {
			eng[name] = n
		}
	}
	if len(eng) > 0 {
		p.Engagement = eng
	}
	if v.Snippet == nil {
		return
	}
	if d := v.Snippet.Description; len(d) > len(p.Text) {
		p.Text = d
		p.Links = links(d)
	}
	switch {
	case v.Snippet.DefaultLanguage != "":
		p.Lang = v.Snippet.DefaultLanguage
	case v.Snippet.DefaultAudioLanguage != "":
		p.Lang = v.Snippet.DefaultAudioLanguage
	}
}

// fillTitles gives comments their video's title as ParentTitle (context,
// never matched), looking the titles up 50 a call. Failure leaves the
// titles empty and is not an error of the fetch.
func (r *run) fillTitles(ctx context.Context) {
	var missing []string
	want := map[string]bool{}
	for _, vid := range r.videoOf {
		if _, ok := r.titles[vid]; !ok && !want[vid] {
			want[vid] = true
			missing = append(missing, vid)
		}
	}
	for len(missing) > 0 && !r.stopped && ctx.Err() == nil {
		batch := missing[:min(50, len(missing))]
		missing = missing[len(batch):]
		vids, err := r.videos(ctx, batch)
		if err != nil {
			r.s.cfg.Logger.Debug().Err(err).Msg("youtube: video titles for comments")
			if stopAfter(err) {
				r.fail("video titles", err)
			}
			break
		}
		for _, v := range vids {
			if v.Snippet != nil {
				r.titles[v.ID] = v.Snippet.Title
			}
		}
	}
	for pos, vid := range r.videoOf {
		if t := r.titles[vid]; t != "" {
			r.posts[pos].ParentTitle = t
		}
	}
}
