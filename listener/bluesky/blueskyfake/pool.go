package blueskyfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

const outLayout = "2006-01-02T15:04:05.000Z07:00"

// poolPost is one recorded PostView plus what the filters need.
type poolPost struct {
	raw       map[string]any
	uri       string
	did       string
	text      string // lower-cased record.text
	sortAt    time.Time
	parent    string // record.reply.parent.uri
	root      string
	hasImages bool
}

type repost struct {
	by        string // handle
	uri       string
	indexedAt time.Time
}

type pool struct {
	posts    []*poolPost // newest first
	byURI    map[string]*poolPost
	reposts  []repost
	profiles []map[string]any
}

func loadPool(fsys fs.FS, shift time.Duration) (*pool, error) {
	p := &pool{byURI: map[string]*poolPost{}}
	var raw []map[string]any
	if err := readJSON(fsys, "posts.json", shift, &raw); err != nil {
		return p, err
	}
	for i, m := range raw {
		pp, err := newPoolPost(m)
		if err != nil {
			return p, fmt.Errorf("posts.json[%d]: %w", i, err)
		}
		p.posts = append(p.posts, pp)
		p.byURI[pp.uri] = pp
	}
	sort.SliceStable(p.posts, func(i, j int) bool { return p.posts[i].sortAt.After(p.posts[j].sortAt) })
	if err := readJSON(fsys, "profiles.json", shift, &p.profiles); err != nil {
		return p, err
	}
	var rps []map[string]any
	if err := readJSON(fsys, "reposts.json", shift, &rps); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return p, err
	}
	for i, m := range rps {
		by, _ := m["by"].(string)
		uri, _ := m["uri"].(string)
		at, err := time.Parse(time.RFC3339Nano, str(m["indexedAt"]))
		if by == "" || p.byURI[uri] == nil || err != nil {
			return p, fmt.Errorf("reposts.json[%d]: need by, a pool uri and indexedAt", i)
		}
		p.reposts = append(p.reposts, repost{by: by, uri: uri, indexedAt: at.UTC()})
	}
	return p, nil
}

func newPoolPost(m map[string]any) (*poolPost, error) {
	pp := &poolPost{raw: m}
	pp.uri = str(m["uri"])
	if !strings.HasPrefix(pp.uri, "at://") {
		return nil, errors.New("uri missing")
	}
	author, _ := m["author"].(map[string]any)
	rec, _ := m["record"].(map[string]any)
	if author == nil || rec == nil {
		return nil, errors.New("author or record missing")
	}
	pp.did = str(author["did"])
	pp.text = strings.ToLower(str(rec["text"]))
	idx, err := time.Parse(time.RFC3339Nano, str(m["indexedAt"]))
	if err != nil {
		return nil, fmt.Errorf("indexedAt: %w", err)
	}
	pp.sortAt = idx.UTC()
	if cr, err := time.Parse(time.RFC3339Nano, str(rec["createdAt"])); err == nil && cr.Before(idx) {
		pp.sortAt = cr.UTC()
	}
	if reply, ok := rec["reply"].(map[string]any); ok {
		pp.parent = str(sub(reply, "parent")["uri"])
		pp.root = str(sub(reply, "root")["uri"])
	}
	if e := sub(rec, "embed"); strings.HasPrefix(str(e["$type"]), "app.bsky.embed.images") {
		pp.hasImages = true
	}
	return pp, nil
}

// readJSON decodes Dir/name after shifting its createdAt/indexedAt values.
func readJSON(fsys fs.FS, name string, shift time.Duration, v any) error {
	b, err := fs.ReadFile(fsys, path.Join(Dir, name))
	if err != nil {
		return err
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return fmt.Errorf("decode %s: %w", name, err)
	}
	tree = shiftTimes(tree, shift)
	b, err = json.Marshal(tree)
	if err != nil {
		return err
	}
	dec = json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode %s: %w", name, err)
	}
	return nil
}

// shiftTimes adds d to every createdAt and indexedAt string it can parse,
// keeping offsets; a zone-less time stays zone-less.
func shiftTimes(v any, d time.Duration) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && d != 0 && (k == "createdAt" || k == "indexedAt") {
				if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
					x[k] = t.Add(d).Format(outLayout)
				} else if t, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
					x[k] = t.Add(d).Format("2006-01-02T15:04:05")
				}
				continue
			}
			x[k] = shiftTimes(e, d)
		}
	case []any:
		for i := range x {
			x[i] = shiftTimes(x[i], d)
		}
	}
	return v
}

func str(v any) string { s, _ := v.(string); return s }

func sub(m map[string]any, k string) map[string]any { s, _ := m[k].(map[string]any); return s }

// profile finds a profile by handle or DID.
func (p *pool) profile(actor string) map[string]any {
	actor = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(actor)), "@")
	for _, pr := range p.profiles {
		if strings.EqualFold(str(pr["handle"]), actor) || str(pr["did"]) == actor {
			return pr
		}
	}
	return nil
}

// matches reports whether text holds every word and "phrase" of q.
func matches(text, q string) bool {
	q = strings.ToLower(q)
	found := false
	for i, part := range strings.Split(q, `"`) {
		if i%2 == 1 { // inside quotes
			if part = strings.TrimSpace(part); part != "" {
				found = true
				if !strings.Contains(text, part) {
					return false
				}
			}
			continue
		}
		for _, w := range strings.Fields(part) {
			found = true
			if !strings.Contains(text, w) {
				return false
			}
		}
	}
	return found
}
