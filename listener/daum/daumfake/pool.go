package daumfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"github.com/earshot/earshot/listener/kosearch/fakekit"
)

// Recording locations inside Recordings() and Options.FS.
const (
	Dir       = "testdata"
	ErrorsDir = Dir + "/errors"
)

// datetimeLayout is the API's datetime form.
const datetimeLayout = "2006-01-02T15:04:05.000-07:00"

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
		it.text = fakekit.SearchText(m, "title", "contents", "blogname", "cafename", "author")
		p.items = append(p.items, it)
	}
	p.byNew = append([]poolItem(nil), p.items...)
	sort.SliceStable(p.byNew, func(i, j int) bool { return p.byNew[i].when.After(p.byNew[j].when) })
	return p, nil
}

// match returns the items of order containing every word of q (words with
// a leading "-" must be absent).
func match(order []poolItem, q string) []poolItem {
	return fakekit.Match(order, func(it poolItem) string { return it.text }, q)
}
