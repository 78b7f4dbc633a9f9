package faults

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Lists rewrite the list of items in an answer: a JSON array at a path
// (Items) or repeated blocks of markup (Blocks, for feeds and pages).
type Lists interface {
	// Duplicate serves every item twice in a row.
	Duplicate() Mutator
	// Reverse serves the items in the opposite order (ids going backwards).
	Reverse() Mutator
	// Keep serves only the first n items.
	Keep(n int) Mutator
	// Select serves the items at the indexes pick returns for n items, in
	// that order (indexes out of range are skipped).
	Select(pick func(n int) []int) Mutator
	// Many serves n items, cycling through the real ones, their ids made
	// unique by a numeric suffix (numeric ids stay numeric).
	Many(n int) Mutator
}

// Items locates the item array of a JSON answer.
type Items struct {
	// Path is the keys from the root to the array; empty when the root is
	// the array.
	Path []string
	// IDs are the fields that name an item (each a path inside the item);
	// Many suffixes the string values found there.
	IDs [][]string
}

// Duplicate implements Lists.
func (it Items) Duplicate() Mutator {
	return it.edit(func(items []any) []any {
		out := make([]any, 0, 2*len(items))
		for _, v := range items {
			out = append(out, v, deepCopy(v))
		}
		return out
	})
}

// Reverse implements Lists.
func (it Items) Reverse() Mutator {
	return it.edit(func(items []any) []any {
		out := make([]any, len(items))
		for i, v := range items {
			out[len(items)-1-i] = v
		}
		return out
	})
}

// Keep implements Lists.
func (it Items) Keep(n int) Mutator {
	return it.edit(func(items []any) []any { return items[:min(max(n, 0), len(items))] })
}

// Select implements Lists.
func (it Items) Select(pick func(n int) []int) Mutator {
	return it.edit(func(items []any) []any { return pickFrom(items, pick) })
}

// OlderHalf is a pick for Select: the second half of a newest-first list
// (the older posts), in order.
func OlderHalf(n int) []int {
	var idx []int
	for i := n / 2; i < n; i++ {
		idx = append(idx, i)
	}
	return idx
}

// Many implements Lists.
func (it Items) Many(n int) Mutator {
	return it.edit(func(items []any) []any {
		if len(items) == 0 {
			return items
		}
		out := make([]any, 0, n)
		for k := range n {
			v := deepCopy(items[k%len(items)])
			for _, p := range it.IDs {
				suffixAt(v, p, k)
			}
			out = append(out, v)
		}
		return out
	})
}

// edit decodes a JSON body, applies f to the array at it.Path and encodes
// the result. Bodies that are not JSON or lack the array pass unchanged.
func (it Items) edit(f func([]any) []any) Mutator {
	return func(body []byte, ctype string) []byte {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var root any
		if err := dec.Decode(&root); err != nil {
			return body
		}
		if len(it.Path) == 0 {
			arr, ok := root.([]any)
			if !ok {
				return body
			}
			root = f(arr)
		} else {
			parent, ok := walk(root, it.Path[:len(it.Path)-1])
			if !ok {
				return body
			}
			last := it.Path[len(it.Path)-1]
			arr, ok := parent[last].([]any)
			if !ok {
				return body
			}
			parent[last] = f(arr)
		}
		var out bytes.Buffer
		enc := json.NewEncoder(&out)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(root); err != nil {
			return body
		}
		return out.Bytes()
	}
}

// walk follows keys from v and returns the object reached.
func walk(v any, keys []string) (map[string]any, bool) {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		v = m[k]
	}
	m, ok := v.(map[string]any)
	return m, ok
}

// suffixAt makes the id at path inside v unique for copy k: numeric ids
// longer than five digits get k in their last five digits (so they keep
// their size and stay valid numbers), others get k appended.
func suffixAt(v any, path []string, k int) {
	if len(path) == 0 {
		return
	}
	m, ok := walk(v, path[:len(path)-1])
	if !ok {
		return
	}
	key := path[len(path)-1]
	switch s := m[key].(type) {
	case string:
		if s != "" {
			m[key] = uniqueID(s, k)
		}
	case json.Number:
		m[key] = json.Number(uniqueID(string(s), k))
	}
}

func uniqueID(s string, k int) string {
	suffix := fmt.Sprintf("%05d", k%100000)
	if len(s) > 5 && strings.Trim(s, "0123456789") == "" {
		return s[:len(s)-5] + suffix
	}
	return s + suffix
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, x := range t {
			a[i] = deepCopy(x)
		}
		return a
	default:
		return v
	}
}

// Blocks locates items in markup: each item runs from Open to the next
// Close (RSS <item>, Atom <entry>, an HTML <article class="post">).
type Blocks struct {
	Open, Close string
	// IDs match the values that name an item; the first group of each is
	// suffixed by Many.
	IDs []*regexp.Regexp
}

// Duplicate implements Lists.
func (b Blocks) Duplicate() Mutator {
	return b.edit(func(items []string) []string {
		out := make([]string, 0, 2*len(items))
		for _, s := range items {
			out = append(out, s, s)
		}
		return out
	})
}

// Reverse implements Lists.
func (b Blocks) Reverse() Mutator {
	return b.edit(func(items []string) []string {
		out := make([]string, len(items))
		for i, s := range items {
			out[len(items)-1-i] = s
		}
		return out
	})
}

// Keep implements Lists.
func (b Blocks) Keep(n int) Mutator {
	return b.edit(func(items []string) []string { return items[:min(max(n, 0), len(items))] })
}

// Select implements Lists.
func (b Blocks) Select(pick func(n int) []int) Mutator {
	return b.edit(func(items []string) []string { return pickFrom(items, pick) })
}

// Many implements Lists.
func (b Blocks) Many(n int) Mutator {
	return b.edit(func(items []string) []string {
		if len(items) == 0 {
			return items
		}
		out := make([]string, 0, n)
		for k := range n {
			s := items[k%len(items)]
			suffix := fmt.Sprintf("%05d", k)
			for _, re := range b.IDs {
				s = suffixGroup(re, s, suffix)
			}
			out = append(out, s)
		}
		return out
	})
}

func pickFrom[T any](items []T, pick func(n int) []int) []T {
	idx := pick(len(items))
	out := make([]T, 0, len(idx))
	for _, i := range idx {
		if i >= 0 && i < len(items) {
			out = append(out, items[i])
		}
	}
	return out
}

// suffixGroup appends suffix to the first group of every match of re in s.
func suffixGroup(re *regexp.Regexp, s, suffix string) string {
	var out strings.Builder
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		if len(m) < 4 || m[2] < 0 {
			continue
		}
		out.WriteString(s[last:m[3]])
		out.WriteString(suffix)
		last = m[3]
	}
	out.WriteString(s[last:])
	return out.String()
}

// edit splits body into head, blocks and tail, applies f and joins them.
func (b Blocks) edit(f func([]string) []string) Mutator {
	return func(body []byte, ctype string) []byte {
		s := string(body)
		first := strings.Index(s, b.Open)
		if b.Open == "" || b.Close == "" || first < 0 {
			return body
		}
		head := s[:first]
		var items []string
		rest := s[first:]
		for strings.HasPrefix(rest, b.Open) {
			end := strings.Index(rest, b.Close)
			if end < 0 {
				return body
			}
			end += len(b.Close)
			items = append(items, rest[:end])
			rest = rest[end:]
			// whitespace between blocks stays with the next one
			next := strings.Index(rest, b.Open)
			if next < 0 || strings.TrimSpace(rest[:next]) != "" {
				break
			}
			items[len(items)-1] += rest[:next]
			rest = rest[next:]
		}
		var out strings.Builder
		out.WriteString(head)
		for _, it := range f(items) {
			out.WriteString(it)
		}
		out.WriteString(rest)
		return []byte(out.String())
	}
}
