package config

import (
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// position is a 1-based line and byte column in the document.
type position struct{ line, col int }

// index maps every key path of a document ("earshot.listen",
// "source[1].every", "brand[0].terms[2]") to where it was written, so that
// semantic errors found after decoding can point at a line.
//
// Array tables are numbered in document order per resolved path: the second
// [[source]] is source[1]; a later [source.x] or [[source.x]] header refers to
// the last source seen so far, as TOML specifies.
type index struct {
	pos    map[string]position
	str    map[string]strValue // string values, for column maths inside them
	arrays map[string]int      // array-table path -> number of elements so far
	lines  []int               // byte offset of the start of each line
}

// strValue is where a string value's content starts and whether its raw text
// equals its decoded value (no escapes, single line), so that a byte offset
// into the value maps to a column in the file.
type strValue struct {
	start position // of the first content byte, after the opening quote
	plain bool
}

// buildIndex walks the syntax tree of data. It reports the parser's error,
// which callers only see on documents the decoder already accepted.
func buildIndex(data []byte) (*index, error) {
	ix := &index{pos: map[string]position{}, str: map[string]strValue{}, arrays: map[string]int{}, lines: []int{0}}
	for i, b := range data {
		if b == '\n' {
			ix.lines = append(ix.lines, i+1)
		}
	}
	var p unstable.Parser
	p.Reset(data)
	prefix := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			prefix = ix.header(&p, e)
		case unstable.KeyValue:
			ix.keyValue(&p, prefix, e)
		}
	}
	return ix, p.Error()
}

func (ix *index) header(p *unstable.Parser, e *unstable.Node) string {
	path := ""
	it := e.Key()
	for it.Next() {
		k := it.Node()
		path = joinKey(path, string(k.Data))
		if it.IsLast() && e.Kind == unstable.ArrayTable {
			ix.setOnce(path, ix.shapeOf(k.Raw))
			n := ix.arrays[path]
			ix.arrays[path] = n + 1
			path = indexKey(path, n)
		} else if n, ok := ix.arrays[path]; ok && n > 0 {
			path = indexKey(path, n-1)
		}
		ix.setOnce(path, ix.shapeOf(k.Raw))
	}
	return path
}

func (ix *index) keyValue(p *unstable.Parser, prefix string, kv *unstable.Node) {
	path := prefix
	var at position
	it := kv.Key()
	for it.Next() {
		k := it.Node()
		path = joinKey(path, string(k.Data))
		at = ix.shapeOf(k.Raw)
		ix.setOnce(path, at)
	}
	ix.value(p, path, at, kv.Value())
}

func (ix *index) value(p *unstable.Parser, path string, at position, v *unstable.Node) {
	switch v.Kind {
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				ix.keyValue(p, path, c)
			}
		}
	case unstable.Array:
		i := 0
		it := v.Children()
		for it.Next() {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			elem := indexKey(path, i)
			cat := at
			if c.Raw.Length > 0 {
				cat = ix.shapeOf(c.Raw)
			}
			ix.setOnce(elem, cat)
			ix.value(p, elem, cat, c)
			i++
		}
	case unstable.String:
		raw := p.Raw(v.Raw)
		sv := strValue{start: ix.shapeOf(v.Raw)}
		sv.start.col++ // skip the opening quote
		if len(raw) >= 2 && !strings.HasPrefix(raw2(raw), `""`) && !strings.HasPrefix(raw2(raw), `''`) {
			sv.plain = string(raw[1:len(raw)-1]) == string(v.Data)
		}
		ix.str[path] = sv
	}
}

// raw2 returns the first two bytes after the opening quote, to spot
// multi-line strings (whose first line may be trimmed).
func raw2(raw []byte) string {
	if len(raw) < 3 {
		return ""
	}
	return string(raw[1:3])
}

func (ix *index) setOnce(path string, p position) {
	if _, ok := ix.pos[path]; !ok {
		ix.pos[path] = p
	}
}

// has reports whether the key path was written in the document.
func (ix *index) has(path string) bool {
	_, ok := ix.pos[path]
	return ok
}

// lookup returns the position of path, or of its nearest written parent.
func (ix *index) lookup(path string) position {
	for path != "" {
		if p, ok := ix.pos[path]; ok {
			return p
		}
		path = parentKey(path)
	}
	return position{}
}

// inString returns the file position of byte offset off inside the string
// value at path, or the key's position when the value has escapes or spans
// lines.
func (ix *index) inString(path string, off int) position {
	sv, ok := ix.str[path]
	if !ok || !sv.plain || off < 0 {
		return ix.lookup(path)
	}
	return position{line: sv.start.line, col: sv.start.col + off}
}

// shapeOf returns the position of the start of r. (Parser.Shape counts
// lines from the top of the document on every call: quadratic on big files.)
func (ix *index) shapeOf(r unstable.Range) position {
	off := int(r.Offset)
	line := sort.Search(len(ix.lines), func(i int) bool { return ix.lines[i] > off }) // 1-based
	return position{line: line, col: off - ix.lines[line-1] + 1}
}

// joinKey appends key k to path, quoting k unless it is a bare TOML key.
func joinKey(path, k string) string {
	if !isBareKey(k) {
		k = strconv.Quote(k)
	}
	if path == "" {
		return k
	}
	return path + "." + k
}

func indexKey(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func isBareKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// parentKey strips the last component ("a.b[2]" -> "a.b", "a.b" -> "a").
// Quoted components may contain dots; for those the result is only an
// approximation, which is fine for finding a line to report.
func parentKey(path string) string {
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i > 0 {
			return path[:i]
		}
	}
	if strings.HasSuffix(path, `"`) {
		if i := strings.LastIndex(path, `."`); i >= 0 {
			return path[:i]
		}
		return ""
	}
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}
