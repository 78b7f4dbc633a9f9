package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

// brokenSearcher's SearchEach delivers rows mentions, then fails: by
// panicking or by returning an error.
type brokenSearcher struct {
	*store.Store
	rows  int
	panic bool
}

func (b brokenSearcher) SearchEach(ctx context.Context, req store.SearchRequest, limit int, fn func(store.Mention) error) (int, error) {
	ms := bulkMentions(0, 1, 200)
	for i := range b.rows {
		m := ms[0]
		m.ID = fmt.Sprintf("hackernews:%d", i)
		if err := fn(m); err != nil {
			return i, err
		}
	}
	if b.panic {
		panic("index page out of range")
	}
	return b.rows, errors.New("disk read failed")
}

// An export that fails after its status line is sent ends in a transfer
// error, never in a clean 200 with part of the rows.
func TestExportFailingMidStreamAborts(t *testing.T) {
	st := openFixtureStore(t)
	for _, rows := range []int{0, 10, 3000} {
		for _, p := range []bool{true, false} {
			for _, format := range []string{"csv", "jsonl"} {
				s := New(Options{Searcher: brokenSearcher{Store: st, rows: rows, panic: p}, Logger: zerolog.Nop()})
				srv := httptest.NewServer(s)
				res, err := http.Get(srv.URL + "/api/export?format=" + format)
				if err == nil {
					_, err = io.ReadAll(res.Body)
					res.Body.Close()
					if err == nil {
						t.Errorf("%s export, %d rows then panic=%v: status %d and a clean end", format, rows, p, res.StatusCode)
					}
				}
				srv.Close()
			}
		}
	}
}
