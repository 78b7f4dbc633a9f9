package youtube

import (
	"sort"
	"time"
)

// maxMarkIDs bounds the ids remembered at a watermark's instant.
const maxMarkIDs = 1000

// cursor is the saved state, as JSON.
type cursor struct {
	// Queries: per search query, the newest publishedAt returned.
	Queries map[string]mark `json:"queries,omitempty"`
	// Channels: per account handle (as configured), the resolved channel
	// and the watermarks of its uploads and of comments related to it.
	Channels map[string]channelState `json:"channels,omitempty"`
	// Videos: matched videos whose comment threads are followed, at most
	// Config.MaxCommentVideos, newest first.
	Videos map[string]videoState `json:"videos,omitempty"`
}

// mark is a watermark: the newest publication time seen and the ids
// already returned at exactly that time.
type mark struct {
	Since time.Time `json:"since"`
	IDs   []string  `json:"ids,omitempty"`
}

type channelState struct {
	ID       string `json:"id"`
	Uploads  string `json:"uploads,omitempty"`
	Videos   mark   `json:"videos"`
	Comments mark   `json:"comments"`
}

type videoState struct {
	Title     string    `json:"title,omitempty"`
	Published time.Time `json:"published"`
	Comments  mark      `json:"comments"`
}

// isNew reports whether an item published at t with id is after the mark.
func (m mark) isNew(t time.Time, id string) bool {
	if t.After(m.Since) {
		return true
	}
	if t.Before(m.Since) {
		return false
	}
	for _, x := range m.IDs {
		if x == id {
			return false
		}
	}
	return true
}

// maxClockSkew is how far past the fetch time an item's time may lie and
// still advance a watermark; a later time is bad data (a clock, a parser)
// and would skip every item published until then.
const maxClockSkew = 10 * time.Minute

// advancer computes the next mark while items are accepted.
type advancer struct {
	since   time.Time
	ids     map[string]bool
	horizon time.Time // items dated after it do not move the mark
}

// newAdvancer starts from m; now is the fetch time.
func newAdvancer(m mark, now time.Time) *advancer {
	a := &advancer{since: m.Since, ids: map[string]bool{}, horizon: now.Add(maxClockSkew)}
	for _, id := range m.IDs {
		a.ids[id] = true
	}
	return a
}

func (a *advancer) add(t time.Time, id string) {
	if t.After(a.horizon) {
		return // dated in the future: returned, but must not move the mark
	}
	switch {
	case t.After(a.since):
		a.since = t
		a.ids = map[string]bool{id: true}
	case t.Equal(a.since):
		a.ids[id] = true
	}
}

func (a *advancer) mark() mark {
	m := mark{Since: a.since}
	for id := range a.ids {
		m.IDs = append(m.IDs, id)
	}
	sort.Strings(m.IDs)
	if len(m.IDs) > maxMarkIDs {
		m.IDs = m.IDs[len(m.IDs)-maxMarkIDs:]
	}
	return m
}

// trimVideos keeps the n newest followed videos.
func trimVideos(v map[string]videoState, n int) {
	if len(v) <= n {
		return
	}
	ids := make([]string, 0, len(v))
	for id := range v {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := v[ids[i]].Published, v[ids[j]].Published
		if !a.Equal(b) {
			return a.After(b)
		}
		return ids[i] < ids[j]
	})
	for _, id := range ids[n:] {
		delete(v, id)
	}
}
