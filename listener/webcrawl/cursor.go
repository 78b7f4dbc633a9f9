package webcrawl

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// cursor is the saved state of a source.
type cursor struct {
	// Last is when the previous successful fetch started.
	Last time.Time `json:"last"`
	// Items are the permalinks already seen, oldest first.
	Items []string `json:"items,omitempty"`
	// Pages are the pages fetched, by canonical URL.
	Pages map[string]pageState `json:"pages,omitempty"`
}

type pageState struct {
	Fetched      time.Time `json:"fetched"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	// Item is true when the page was an item's own page (its only item's
	// permalink is the page): it is not fetched again.
	Item bool `json:"item,omitempty"`
}

func decodeCursor(raw []byte) (*cursor, error) {
	c := &cursor{}
	if len(raw) == 0 {
		return c, nil
	}
	if err := json.Unmarshal(raw, c); err != nil {
		return nil, fmt.Errorf("bad cursor: %w", err)
	}
	return c, nil
}

// seenSet returns the cursor's permalinks as a set.
func (c *cursor) seenSet() map[string]bool {
	m := make(map[string]bool, len(c.Items))
	for _, id := range c.Items {
		m[id] = true
	}
	return m
}

// encode trims the cursor to MaxSeen items and pages and marshals it.
func (c *cursor) encode() ([]byte, error) {
	if n := len(c.Items); n > MaxSeen {
		c.Items = append([]string(nil), c.Items[n-MaxSeen:]...)
	}
	if len(c.Pages) > MaxSeen {
		type kv struct {
			u string
			t time.Time
		}
		all := make([]kv, 0, len(c.Pages))
		for u, p := range c.Pages {
			all = append(all, kv{u, p.Fetched})
		}
		sort.Slice(all, func(i, j int) bool {
			if !all[i].t.Equal(all[j].t) {
				return all[i].t.After(all[j].t)
			}
			return all[i].u < all[j].u
		})
		for _, e := range all[MaxSeen:] {
			delete(c.Pages, e.u)
		}
	}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode cursor: %w", err)
	}
	return b, nil
}
