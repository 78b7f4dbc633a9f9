package reddit

import (
	"io/fs"
	"testing"

	"github.com/earshot/earshot/listener/reddit/redditfake"
)

func TestDecodePoolFixture(t *testing.T) {
	b, err := fs.ReadFile(redditfake.Recordings(), "testdata/pool.json")
	if err != nil {
		t.Fatal(err)
	}
	l, err := decodeListing(b)
	if err != nil {
		t.Fatal(err)
	}
	kept := map[string]bool{}
	for i := range l.Data.Children {
		if p, _, ok := l.Data.Children[i].toPost(); ok {
			kept[p.NativeID] = true
		}
	}
	if len(l.Data.Children) != 30 || len(kept) != 28 {
		t.Fatalf("%d children, %d kept", len(l.Data.Children), len(kept))
	}
	for _, id := range []string{"1qv7k1g", "nfa1b2c"} { // removed by Reddit; deleted comment
		if kept[id] {
			t.Errorf("%s kept", id)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, b := range []string{``, `[]`, `{"kind":"t3"}`, `{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"created_utc":"x"}}]}}`} {
		if _, err := decodeListing([]byte(b)); err == nil {
			t.Errorf("accepted %q", b)
		}
	}
	b, _ := fs.ReadFile(redditfake.Recordings(), "testdata/errors/malformed.json")
	if _, err := decodeListing(b); err == nil {
		t.Fatal("malformed fixture accepted")
	}
	l, err := decodeListing([]byte(`{"kind":"Listing","data":{"children":[
		{"kind":"t3","data":{"id":"../x","title":"t","created_utc":1795000000}},
		{"kind":"t3","data":{"id":"abc","title":"t","created_utc":-5}},
		{"kind":"t5","data":{"id":"abc","title":"t","created_utc":1795000000}},
		{"kind":"t3","data":{"id":"abc","title":"ok","permalink":"//evil.example/x","url":"javascript:alert(1)","created_utc":1795000000.5}}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	var kept int
	for i := range l.Data.Children {
		p, _, ok := l.Data.Children[i].toPost()
		if !ok {
			continue
		}
		kept++
		if p.URL != "https://www.reddit.com/comments/abc/" || len(p.Links) != 0 {
			t.Fatalf("hostile fields trusted: %+v", p)
		}
	}
	if kept != 1 {
		t.Fatalf("kept %d", kept)
	}
}

func FuzzRedditDecode(f *testing.F) {
	for _, name := range []string{"pool.json", "errors/malformed.json", "users.json"} {
		if b, err := fs.ReadFile(redditfake.Recordings(), "testdata/"+name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"kind":"Listing","data":{"after":"t3_a","children":[{"kind":"t1","data":{"id":"a","body":"x https://a.example/(","parent_id":"t1_","created_utc":1e300}}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := decodeListing(b)
		if err != nil {
			return
		}
		if len(l.Data.Children) > maxChildren {
			t.Fatal("children not capped")
		}
		for i := range l.Data.Children {
			p, _, ok := l.Data.Children[i].toPost()
			if ok && (p.NativeID == "" || p.URL == "") {
				t.Fatalf("empty id or url: %+v", p)
			}
		}
	})
}
