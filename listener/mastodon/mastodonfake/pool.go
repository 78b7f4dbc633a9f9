package mastodonfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/listener/htmltext"
)

// entry is one status of the pool with what the fake filters on.
type entry struct {
	raw        map[string]any // the status as served (shifted)
	id         uint64
	tags       map[string]bool
	text       string // lowercased plain text
	visibility string
	accountID  string
	reblog     bool
}

type pool struct {
	entries  []entry // newest first
	accounts map[string]map[string]any
}

// loadPool reads statuses.json and applies the shift.
func loadPool(fsys fs.FS, shift time.Duration) (*pool, error) {
	name := path.Join(Dir, "statuses.json")
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var raw []map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("decode %s: %w", name, err)
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("%s: no statuses", name)
	}
	p := &pool{accounts: map[string]map[string]any{}}
	for i, m := range raw {
		if err := shiftStatus(m, shift); err != nil {
			return nil, fmt.Errorf("%s: status %d: %w", name, i, err)
		}
		e, err := newEntry(m)
		if err != nil {
			return nil, fmt.Errorf("%s: status %d: %w", name, i, err)
		}
		p.entries = append(p.entries, e)
		if acc, ok := m["account"].(map[string]any); ok {
			p.accounts[e.accountID] = acc
		}
	}
	sort.SliceStable(p.entries, func(i, j int) bool { return p.entries[i].id > p.entries[j].id })
	return p, nil
}

func newEntry(m map[string]any) (entry, error) {
	id, err := strconv.ParseUint(str(m["id"]), 10, 64)
	if err != nil {
		return entry{}, fmt.Errorf("id %q: %w", str(m["id"]), err)
	}
	acc, _ := m["account"].(map[string]any)
	if acc == nil || str(acc["id"]) == "" {
		return entry{}, errors.New("no account")
	}
	e := entry{raw: m, id: id, tags: map[string]bool{}, visibility: str(m["visibility"]), accountID: str(acc["id"])}
	if rb, ok := m["reblog"].(map[string]any); ok && rb != nil {
		e.reblog = true
	}
	tags, _ := m["tags"].([]any)
	for _, t := range tags {
		if tm, ok := t.(map[string]any); ok {
			e.tags[strings.ToLower(str(tm["name"]))] = true
		}
	}
	e.text = strings.ToLower(htmltext.ToText(str(m["spoiler_text"])) + "\n" + htmltext.ToText(str(m["content"])))
	return e, nil
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return ""
}

// shiftStatus moves created_at/edited_at by shift and every status id by
// the same number of milliseconds (<<16), rewriting url/uri that embed the
// id; a boosted status is shifted too.
func shiftStatus(m map[string]any, shift time.Duration) error {
	if shift == 0 {
		return nil
	}
	for _, k := range []string{"created_at", "edited_at"} {
		s, ok := m[k].(string)
		if !ok {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return fmt.Errorf("%s %q: %w", k, s, err)
		}
		m[k] = t.Add(shift).UTC().Format("2006-01-02T15:04:05.000Z")
	}
	old := str(m["id"])
	nid, err := shiftID(old, shift)
	if err != nil {
		return err
	}
	m["id"] = nid
	for _, k := range []string{"url", "uri"} {
		if s, ok := m[k].(string); ok {
			m[k] = strings.ReplaceAll(s, old, nid)
		}
	}
	if r, ok := m["in_reply_to_id"].(string); ok && r != "" {
		if m["in_reply_to_id"], err = shiftID(r, shift); err != nil {
			return err
		}
	}
	if rb, ok := m["reblog"].(map[string]any); ok && rb != nil {
		return shiftStatus(rb, shift)
	}
	return nil
}

func shiftID(id string, shift time.Duration) (string, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return "", fmt.Errorf("id %q: %w", id, err)
	}
	n += shift.Milliseconds() << 16
	if n <= 0 {
		return "", fmt.Errorf("id %q shifted below zero", id)
	}
	return strconv.FormatInt(n, 10), nil
}
