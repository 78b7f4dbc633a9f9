package naverfake

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

var kst = time.FixedZone("KST", 9*60*60)

// pool is the recorded result set of one kind.
type pool struct {
	lastBuildDate string
	items         []poolItem // in the order served for sort=date
}

type poolItem struct {
	raw    map[string]any // as recorded, dates shifted
	text   string         // lowercased searchable text
	when   time.Time      // zero when undated
	serial int            // position in the file
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
		LastBuildDate string           `json:"lastBuildDate"`
		Items         []map[string]any `json:"items"`
	}
	if err := dec.Decode(&env); err != nil {
		return nil, fmt.Errorf("decode %s: %w", name, err)
	}
	p := &pool{lastBuildDate: shiftRFC1123(env.LastBuildDate, shift)}
	for i, m := range env.Items {
		it := poolItem{raw: m, serial: i}
		if s, ok := m["pubDate"].(string); ok {
			m["pubDate"] = shiftRFC1123(s, shift)
			if t, err := time.Parse(time.RFC1123Z, m["pubDate"].(string)); err == nil {
				it.when = t
			}
		}
		if s, ok := m["postdate"].(string); ok {
			if t, err := time.ParseInLocation("20060102", s, kst); err == nil {
				t = t.Add(12 * time.Hour).Add(shift)
				m["postdate"] = t.In(kst).Format("20060102")
				it.when = time.Date(t.In(kst).Year(), t.In(kst).Month(), t.In(kst).Day(), 0, 0, 0, 0, kst)
			}
		}
		it.text = fakekit.SearchText(m, "title", "description", "bloggername", "cafename")
		p.items = append(p.items, it)
	}
	// Newest first. An undated item (cafés, a bad pubDate) sorts as the
	// dated item before it in the file, which is recorded newest first.
	key := make([]time.Time, len(p.items))
	last := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, it := range p.items {
		if !it.when.IsZero() {
			last = it.when
		}
		key[i] = last
	}
	sort.SliceStable(p.items, func(i, j int) bool {
		return key[p.items[i].serial].After(key[p.items[j].serial])
	})
	return p, nil
}

// shiftRFC1123 shifts an RFC 1123 date with numeric zone, keeping the zone;
// anything else (a recorded malformed date) is returned unchanged.
func shiftRFC1123(s string, d time.Duration) string {
	t, err := time.Parse(time.RFC1123Z, s)
	if err != nil || d == 0 {
		return s
	}
	return t.Add(d).Format(time.RFC1123Z)
}

// match returns the items containing every word of q (words with a leading
// "-" must be absent), in pool order.
func (p *pool) match(q string) []poolItem {
	return fakekit.Match(p.items, func(it poolItem) string { return it.text }, q)
}
