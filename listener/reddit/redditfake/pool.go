package redditfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// entry is one thing of the pool.
type entry struct {
	kind    string // t3 or t1
	name    string // fullname
	author  string // lowercased
	sub     string // lowercased subreddit
	search  string // lowercased title + selftext
	created time.Time
	data    map[string]any
}

func load(fsys fs.FS, shift time.Duration) ([]entry, map[string]map[string]any, error) {
	b, err := fs.ReadFile(fsys, PoolFile)
	if err != nil {
		return nil, nil, err
	}
	var l struct {
		Data struct {
			Children []struct {
				Kind string         `json:"kind"`
				Data map[string]any `json:"data"`
			} `json:"children"`
		} `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&l); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", PoolFile, err)
	}
	var pool []entry
	for i, c := range l.Data.Children {
		d := c.Data
		cr, ok := num(d["created_utc"])
		name, _ := d["name"].(string)
		if !ok || name == "" {
			return nil, nil, fmt.Errorf("%s: child %d has no created_utc or name", PoolFile, i)
		}
		t := time.Unix(int64(cr), 0).Add(shift).UTC()
		setTime(d, "created_utc", t)
		setTime(d, "created", t)
		author, _ := d["author"].(string)
		sub, _ := d["subreddit"].(string)
		title, _ := d["title"].(string)
		self, _ := d["selftext"].(string)
		pool = append(pool, entry{kind: c.Kind, name: name, author: strings.ToLower(author), sub: strings.ToLower(sub),
			search: strings.ToLower(title + "\n" + self), created: t, data: d})
	}
	sort.SliceStable(pool, func(i, j int) bool { return pool[i].created.After(pool[j].created) })

	users := map[string]map[string]any{}
	ub, err := fs.ReadFile(fsys, UsersFile)
	if err != nil {
		return pool, users, err
	}
	var us []struct {
		Data map[string]any `json:"data"`
	}
	dec = json.NewDecoder(bytes.NewReader(ub))
	dec.UseNumber()
	if err := dec.Decode(&us); err != nil {
		return pool, users, fmt.Errorf("%s: %w", UsersFile, err)
	}
	for _, u := range us {
		name, _ := u.Data["name"].(string)
		if name == "" {
			return pool, users, errors.New(UsersFile + ": user without name")
		}
		if cr, ok := num(u.Data["created_utc"]); ok {
			t := time.Unix(int64(cr), 0).Add(shift).UTC()
			setTime(u.Data, "created_utc", t)
			setTime(u.Data, "created", t)
		}
		users[strings.ToLower(name)] = u.Data
	}
	return pool, users, nil
}

func num(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}

// setTime writes t as Reddit does: seconds with one decimal ("1795600800.0").
func setTime(d map[string]any, key string, t time.Time) {
	d[key] = json.Number(strconv.FormatFloat(float64(t.Unix()), 'f', 1, 64))
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// serveListing answers one page of the visible entries that keep accepts.
func (s *Server) serveListing(w http.ResponseWriter, r *http.Request, keep func(*entry) bool) {
	q := r.URL.Query()
	limit := 25
	if v := q.Get("limit"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			limit = min(max(n, 1), 100)
		}
	}
	now := s.opts.Clock()
	var match []*entry
	for i := range s.pool {
		e := &s.pool[i]
		if !e.created.After(now) && keep(e) {
			match = append(match, e)
		}
	}
	start := 0
	if after := q.Get("after"); after != "" {
		start = len(match) // an unknown anchor gives an empty page, as on Reddit
		for i, e := range match {
			if e.name == after {
				start = i + 1
				break
			}
		}
	}
	end := min(start+limit, len(match))
	raw := q.Get("raw_json") == "1"
	children := make([]any, 0, end-start)
	for _, e := range match[start:end] {
		d := make(map[string]any, len(e.data))
		for k, v := range e.data {
			if str, ok := v.(string); ok && !raw && (k == "title" || k == "selftext" || k == "body" || k == "link_title") {
				v = escaper.Replace(str)
			}
			d[k] = v
		}
		children = append(children, map[string]any{"kind": e.kind, "data": d})
	}
	var next any
	if end < len(match) && end > start {
		next = match[end-1].name
	}
	writeJSON(w, http.StatusOK, map[string]any{"kind": "Listing", "data": map[string]any{
		"after": next, "dist": len(children), "modhash": "", "geo_filter": "", "children": children, "before": nil,
	}})
}

// matches reports whether every word of q is in the entry's text.
func matches(e *entry, q string) bool {
	words := strings.Fields(strings.ToLower(strings.NewReplacer(`"`, " ", "(", " ", ")", " ").Replace(q)))
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if !strings.Contains(e.search, w) {
			return false
		}
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encode: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
