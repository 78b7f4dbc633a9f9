package config

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/earshot/earshot/query"
)

// topics validates [[topic]] tables: unique names and queries that parse.
// A query syntax error points at the offending column of the file when the
// query is a plain one-line string, else at the query key.
func (v *validator) topics(ts []Topic) {
	c := v.c
	names := map[string]int{}
	for i := range ts {
		t := &ts[i]
		tp := indexKey("topic", i)
		np, qp := tp+".name", tp+".query"
		t.Name = strings.TrimSpace(t.Name)
		switch {
		case c.failed(np):
		case !c.ix.has(np):
			c.at(tp, "missing required key \"name\"")
		default:
			if err := checkText(t.Name); err != nil {
				c.at(np, "topic name %v", err)
			} else if first, dup := names[fold(t.Name)]; dup {
				c.at(np, "duplicate topic name %q (first defined at line %d)", t.Name, c.ix.lookup(indexKey("topic", first)+".name").line)
			} else {
				names[fold(t.Name)] = i
			}
		}
		switch {
		case c.failed(qp):
		case !c.ix.has(qp):
			c.at(tp, "missing required key \"query\"")
		case strings.TrimSpace(t.Query) == "":
			c.at(qp, "query must not be empty")
		default:
			t.Parsed = v.parseQuery(qp, t.Query)
		}
	}
}

func (v *validator) parseQuery(path, q string) query.Node {
	n, err := query.Parse(q)
	var se *query.SyntaxError
	switch {
	case errors.As(err, &se):
		off := min(max(se.Pos, 0), len(q))
		col := utf8.RuneCountInString(q[:off]) + 1
		v.c.add(path, v.c.ix.inString(path, off), "invalid query: %s (query column %d)", se.Msg, col)
	case err != nil:
		v.c.at(path, "invalid query: %v", err)
	case n == nil:
		v.c.at(path, "invalid query: it matches nothing")
	default:
		return n
	}
	return nil
}
