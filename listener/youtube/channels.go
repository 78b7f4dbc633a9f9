package youtube

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/earshot/earshot/listener"
)

// isChannelID reports whether a handle is a channel id (UC + 22 characters).
func isChannelID(h string) bool {
	return len(h) == 24 && strings.HasPrefix(h, "UC") && validID(h)
}

// fetchAccounts resolves the accounts' channels (a @handle once, then by id
// from the cursor), reads their subscriber counts in one call per 50
// channels, and runs each account's uploads chain.
func (r *run) fetchAccounts(ctx context.Context, accounts []listener.Account) {
	data := map[string]*channel{}
	for _, a := range accounts {
		st := r.next.Channels[a.Handle]
		if st.ID != "" {
			continue
		}
		if isChannelID(a.Handle) {
			st.ID = a.Handle
		} else {
			if r.done(ctx) {
				return
			}
			ch, err := r.resolve(ctx, a.Handle)
			if err != nil {
				r.fail(fmt.Sprintf("account %q", a.Handle), err)
				continue
			}
			st.ID, data[ch.ID] = ch.ID, ch
		}
		r.next.Channels[a.Handle] = st
	}
	var need []string
	failed := map[string]bool{}
	for _, a := range accounts {
		if st, ok := r.next.Channels[a.Handle]; ok && data[st.ID] == nil {
			need = append(need, st.ID)
		}
	}
	for len(need) > 0 && !r.done(ctx) {
		batch := need[:min(50, len(need))]
		need = need[len(batch):]
		params := url.Values{"part": {"snippet,statistics,contentDetails"}, "id": {strings.Join(batch, ",")}, "maxResults": {"50"}}
		var resp channelListResponse
		if err := r.s.call(ctx, CostList, "channels", params, &resp); err != nil {
			r.fail("channels "+strings.Join(batch, ","), err)
			for _, id := range batch {
				failed[id] = true
			}
			continue
		}
		for i := range resp.Items {
			data[resp.Items[i].ID] = &resp.Items[i]
		}
	}
	for _, a := range accounts {
		st, ok := r.next.Channels[a.Handle]
		if !ok {
			continue
		}
		o := owner{brand: a.Brand}
		if ch := data[st.ID]; ch != nil {
			o.title = ch.Snippet.Title
			if n, ok := count(map[string]string{"n": ch.Statistics.SubscriberCount}, "n"); ok && !ch.Statistics.HiddenSubscriberCount {
				o.followers = n
			}
		}
		r.owners[st.ID] = o
	}
	for _, a := range accounts {
		st, ok := r.next.Channels[a.Handle]
		if !ok || r.done(ctx) {
			continue
		}
		ch := data[st.ID]
		if ch == nil {
			if !failed[st.ID] {
				r.fail(fmt.Sprintf("account %q", a.Handle), fmt.Errorf("channel %s not found", st.ID))
			}
			continue
		}
		r.uploads(ctx, a, st, ch)
	}
}

// resolve looks a @handle up (forHandle); the API omits items when no
// channel has the handle.
func (r *run) resolve(ctx context.Context, handle string) (*channel, error) {
	params := url.Values{"part": {"snippet,statistics,contentDetails"}, "forHandle": {"@" + handle}}
	var resp channelListResponse
	if err := r.s.call(ctx, CostList, "channels", params, &resp); err != nil {
		return nil, err
	}
	if len(resp.Items) == 0 || !isChannelID(resp.Items[0].ID) {
		return nil, fmt.Errorf("no channel with handle @%s", handle)
	}
	return &resp.Items[0], nil
}

// uploads runs an account's uploads chain: the uploads playlist (1 unit a
// page, where search?channelId= would cost 100), newest first, down to
// the account's watermark.
func (r *run) uploads(ctx context.Context, a listener.Account, st channelState, ch *channel) {
	playlist := ch.ContentDetails.RelatedPlaylists.Uploads
	if !validID(playlist) {
		playlist = "UU" + strings.TrimPrefix(st.ID, "UC")
	}
	m := st.Videos
	if m.Since.IsZero() {
		m = mark{Since: r.floor}
	}
	adv := newAdvancer(m, r.now)
	var found []listener.Post
	token := ""
	for page := 0; page < r.s.cfg.MaxPages; page++ {
		params := url.Values{"part": {"snippet,contentDetails"}, "playlistId": {playlist}, "maxResults": {strconv.Itoa(r.s.cfg.PageSize)}}
		if token != "" {
			params.Set("pageToken", token)
		}
		var resp playlistItemsResponse
		if err := r.s.call(ctx, CostList, "playlistItems", params, &resp); err != nil {
			r.fail(fmt.Sprintf("account %q uploads", a.Handle), err)
			return
		}
		older := false
		for i := range resp.Items {
			it := &resp.Items[i]
			id := it.ContentDetails.VideoID
			if id == "" {
				id = it.Snippet.ResourceID.VideoID
			}
			// Private and deleted videos stay in the playlist without
			// videoPublishedAt: skip them.
			t, ok := parseTime(it.ContentDetails.VideoPublishedAt)
			if !ok || !validID(id) {
				continue
			}
			if t.Before(m.Since) {
				older = true
				continue
			}
			if !m.isNew(t, id) {
				continue
			}
			adv.add(t, id)
			sn := it.Snippet
			sn.ChannelID, sn.ChannelTitle = st.ID, firstNonEmpty(sn.VideoOwnerChannelTitle, sn.ChannelTitle, ch.Snippet.Title)
			sn.VideoOwnerChannelID = ""
			found = append(found, r.videoPost(id, &sn, t, false))
		}
		token = resp.NextPageToken
		if token == "" || older || len(resp.Items) == 0 {
			break
		}
	}
	r.ok++
	st.Uploads, st.Videos = playlist, adv.mark()
	r.next.Channels[a.Handle] = st
	for _, p := range found {
		if _, dup := r.index[p.NativeID]; !dup {
			r.add(p)
			r.fresh = append(r.fresh, p.NativeID)
		}
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
