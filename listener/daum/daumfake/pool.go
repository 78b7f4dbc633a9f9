package daumfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Recording locations inside Recordings() and Options.FS.
const (
	Dir       = "testdata"
	ErrorsDir = Dir + "/errors"
)

// datetimeLayout is the API's datetime form.
const datetimeLayout = "2006-01-02T15:04:05.000-07:00"

var tags = regexp.MustCompile(`<[^>]*>`)

// pool is the recorded result set of one kind.
type pool struct {
	items []poolItem // in file order (the accuracy order)
	byNew []poolItem // newest first (the recency order)
}

type poolItem struct {
	raw  map[string]any // as recorded, dates shifted
	text string         // lowercased searchable text
	when time.Time      // zero when undated
}

func loadPool(fsys fs.FS, kind string, shift time.Duration) (*pool, error) {
	name := Dir + "/" + kind + ".json"
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var env struct {
		Documents []map[string]any `json:"documents"`
	}
	if err := dec.Decode(&env); err != nil {
		return nil, fmt.Errorf("decode %s: %w", name, err)
	}
	p := &pool{}
	for _, m := range env.Documents {
		it := poolItem{raw: m}
		if s, ok := m["datetime"].(string); ok {
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				t = t.Add(shift)
				m["datetime"] = t.Format(datetimeLayout)
				it.when = t
			}
		}
		var parts []string
		for _, k := range []string{"title", "contents", "blogname", "cafename", "author"} {
			if s, ok := m[k].(string); ok {
				parts = append(parts, tags.ReplaceAllString(s, ""))
			}
		}
		it.text = strings.ToLower(strings.Join(parts, "\n"))
		p.items = append(p.items, it)
	}
	p.byNew = append([]poolItem(nil), p.items...)
	sort.SliceStable(p.byNew, func(i, j int) bool { return p.byNew[i].when.After(p.byNew[j].when) })
	return p, nil
}

// match returns the items of order containing every word of q (words with
// a leading "-" must be absent).
func match(order []poolItem, q string) []poolItem {
	var want, not []string
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if n, ok := strings.CutPrefix(w, "-"); ok {
			if n != "" {
				not = append(not, n)
			}
			continue
		}
		want = append(want, strings.Trim(w, `"+`))
	}
	var out []poolItem
next:
	for _, it := range order {
		for _, w := range want {
			if w != "" && !strings.Contains(it.text, w) {
				continue next
			}
		}
		for _, w := range not {
			if strings.Contains(it.text, w) {
				continue next
			}
		}
		out = append(out, it)
	}
	return out
}
