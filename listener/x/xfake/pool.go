package xfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

// poolTweet is one recorded tweet plus what the filters need.
type poolTweet struct {
	raw         map[string]json.RawMessage
	id          uint64
	created     time.Time
	authorID    string
	username    string // author's, lower case
	replyToUser string // lower case
	lang        string
	refs        map[string]bool // referenced_tweets types
	hasLinks    bool
	search      string // lower-cased text (note_tweet text when present)
}

type poolUser struct {
	raw      map[string]json.RawMessage
	id       string
	username string // lower case
}

type pool struct {
	tweets []*poolTweet // newest first
	users  map[string]*poolUser
	byName map[string]*poolUser
}

// createdLayout is how X writes created_at.
const createdLayout = "2006-01-02T15:04:05.000Z"

func loadPool(fsys fs.FS, shift time.Duration) (*pool, error) {
	b, err := fs.ReadFile(fsys, PoolFile)
	if err != nil {
		return nil, err
	}
	var raw struct {
		Data     []map[string]json.RawMessage `json:"data"`
		Includes struct {
			Users []map[string]json.RawMessage `json:"users"`
		} `json:"includes"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("decode %s: %w", PoolFile, err)
	}
	p := &pool{users: map[string]*poolUser{}, byName: map[string]*poolUser{}}
	for i, m := range raw.Includes.Users {
		var u struct{ ID, Username string }
		if err := remarshal(m, &u); err != nil || u.ID == "" || u.Username == "" {
			return nil, fmt.Errorf("%s: user %d: missing id or username", PoolFile, i)
		}
		pu := &poolUser{raw: m, id: u.ID, username: strings.ToLower(u.Username)}
		p.users[u.ID], p.byName[pu.username] = pu, pu
	}
	for i, m := range raw.Data {
		t, err := newPoolTweet(m, shift)
		if err != nil {
			return nil, fmt.Errorf("%s: tweet %d: %w", PoolFile, i, err)
		}
		if u := p.users[t.authorID]; u != nil {
			t.username = u.username
		}
		p.tweets = append(p.tweets, t)
	}
	for _, t := range p.tweets {
		var f struct {
			InReplyTo string `json:"in_reply_to_user_id"`
		}
		_ = remarshal(t.raw, &f)
		if u := p.users[f.InReplyTo]; u != nil {
			t.replyToUser = u.username
		}
	}
	sort.SliceStable(p.tweets, func(i, j int) bool { return p.tweets[i].id > p.tweets[j].id })
	return p, nil
}

func newPoolTweet(m map[string]json.RawMessage, shift time.Duration) (*poolTweet, error) {
	var f struct {
		ID        string `json:"id"`
		Text      string `json:"text"`
		CreatedAt string `json:"created_at"`
		AuthorID  string `json:"author_id"`
		Lang      string `json:"lang"`
		Refs      []struct {
			Type string `json:"type"`
		} `json:"referenced_tweets"`
		Entities *struct {
			URLs []json.RawMessage `json:"urls"`
		} `json:"entities"`
		Note *struct {
			Text string `json:"text"`
		} `json:"note_tweet"`
	}
	if err := remarshal(m, &f); err != nil {
		return nil, err
	}
	id, err := strconv.ParseUint(f.ID, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("id %q: %w", f.ID, err)
	}
	created, err := time.Parse(time.RFC3339, f.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("created_at: %w", err)
	}
	created = created.Add(shift).UTC()
	m["created_at"], _ = json.Marshal(created.Format(createdLayout))
	t := &poolTweet{raw: m, id: id, created: created, authorID: f.AuthorID, lang: f.Lang, refs: map[string]bool{}}
	for _, r := range f.Refs {
		t.refs[r.Type] = true
	}
	t.hasLinks = f.Entities != nil && len(f.Entities.URLs) > 0
	t.search = strings.ToLower(f.Text)
	if f.Note != nil && f.Note.Text != "" {
		t.search = strings.ToLower(f.Note.Text)
	}
	return t, nil
}

func remarshal(m map[string]json.RawMessage, v any) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// project keeps the default fields and those asked for in fields.
func project(raw map[string]json.RawMessage, defaults []string, fields string) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for _, k := range defaults {
		if v, ok := raw[k]; ok {
			out[k] = v
		}
	}
	for _, k := range strings.Split(fields, ",") {
		if v, ok := raw[strings.TrimSpace(k)]; ok {
			out[strings.TrimSpace(k)] = v
		}
	}
	return out
}

// filter is one request's selection.
type filter struct {
	match        matcher // nil: every tweet
	authorID     string  // timelines
	since, until uint64
	start, end   time.Time
	notAfter     time.Time // the fake's now: later tweets are not posted yet
	excludeRT    bool
	excludeReply bool
}

var errBadToken = errors.New("invalid pagination token")

// selectPage returns up to n tweets matching f, older than the token's id.
func (p *pool) selectPage(f filter, token string, n int) ([]*poolTweet, string, error) {
	below := uint64(0)
	if token != "" {
		v, err := decodeToken(token)
		if err != nil {
			return nil, "", err
		}
		below = v
	}
	var out []*poolTweet
	for _, t := range p.tweets {
		if below != 0 && t.id >= below {
			continue
		}
		if !f.keep(t) {
			continue
		}
		if len(out) == n {
			return out, encodeToken(out[n-1].id), nil
		}
		out = append(out, t)
	}
	return out, "", nil
}

func (f *filter) keep(t *poolTweet) bool {
	switch {
	case f.authorID != "" && t.authorID != f.authorID,
		f.since != 0 && t.id <= f.since,
		f.until != 0 && t.id >= f.until,
		!f.start.IsZero() && t.created.Before(f.start),
		!f.end.IsZero() && !t.created.Before(f.end),
		!f.notAfter.IsZero() && t.created.After(f.notAfter),
		f.excludeRT && t.refs["retweeted"],
		f.excludeReply && t.refs["replied_to"]:
		return false
	}
	return f.match == nil || f.match(t)
}

// Tokens look like X's: opaque lower-case base-36 strings.
func encodeToken(id uint64) string { return "b26v89c" + strconv.FormatUint(id, 36) }

func decodeToken(s string) (uint64, error) {
	if !strings.HasPrefix(s, "b26v89c") {
		return 0, errBadToken
	}
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "b26v89c"), 36, 64)
	if err != nil || v == 0 {
		return 0, errBadToken
	}
	return v, nil
}
