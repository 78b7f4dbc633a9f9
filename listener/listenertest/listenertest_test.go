package listenertest

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
	"time"

	"github.com/earshot/earshot/listener"
)

func TestBudget(t *testing.T) {
	resets := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	b := &Budget{Limit: 10, Used: 3, Resets: resets}
	if err := b.Take(7); err != nil {
		t.Fatalf("take up to the limit: %v", err)
	}
	var be *listener.BudgetError
	if err := b.Take(1); !errors.As(err, &be) || be.Used != 10 || be.Limit != 10 || !be.Resets.Equal(resets) {
		t.Fatalf("take past the limit: %v", err)
	}
	if u := b.Usage(); u.Used != 10 || u.Limit != 10 || !u.Resets.Equal(resets) {
		t.Errorf("usage %+v", u)
	}
	if len(b.Takes) != 1 || b.Takes[0] != 7 {
		t.Errorf("takes %v, want [7]: a refused take is not a grant", b.Takes)
	}
}

func TestRecorder(t *testing.T) {
	rc := &Recorder{Next: http.NotFoundHandler()}
	for _, target := range []string{"/search?q=Acme&page=2", "/search?q=Globex", "/videos?id=a"} {
		rc.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, target, nil))
	}
	for _, c := range []struct {
		subs []string
		want int
	}{{nil, 3}, {[]string{"/search?"}, 2}, {[]string{"/search?", "page="}, 1}, {[]string{"q=Initech"}, 0}} {
		if got := rc.Count(c.subs...); got != c.want {
			t.Errorf("Count(%q) = %d, want %d", c.subs, got, c.want)
		}
	}
	if r := rc.Requests(); len(r) != 3 || r[2].URL.Path != "/videos" {
		t.Errorf("requests %v", r)
	}
}

func TestByIDAndRecordings(t *testing.T) {
	m := ByID([]listener.Post{{NativeID: "a", Text: "1"}, {NativeID: "b"}, {NativeID: "a", Text: "2"}})
	if len(m) != 2 || m["a"].Text != "2" {
		t.Errorf("ByID = %v", m)
	}
	src := fstest.MapFS{"testdata/x.json": {Data: []byte("x")}, "testdata/errors/e.json": {Data: []byte("e")}}
	cp := Copy(t, src)
	cp["testdata/x.json"].Data = []byte("changed")
	if len(cp) != 2 || string(ReadFile(t, src, "testdata/x.json")) != "x" || string(ReadFile(t, cp, "testdata/errors/e.json")) != "e" {
		t.Errorf("copy %v shares or loses files of %v", cp, src)
	}
}
