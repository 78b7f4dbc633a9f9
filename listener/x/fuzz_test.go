package x

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/x/xfake"
)

func FuzzXDecode(f *testing.F) {
	for _, name := range []string{"tweets.json", "errors/malformed.json", "errors/invalid_query.json", "errors/unauthorized.json"} {
		b, err := fs.ReadFile(xfake.Recordings(), "testdata/"+name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"meta":{"result_count":0}}`))
	f.Add([]byte(`{"data":[{"id":"1","text":"a &amp; https://t.co/x","created_at":"bad","author_id":"9","note_tweet":{"text":""},` +
		`"entities":{"urls":[{"url":"https://t.co/x","expanded_url":"javascript:alert(1)"},{"url":"","expanded_url":"https://a.example/"},{"url":"https://t.co/x","media_key":"3_1"}]},` +
		`"referenced_tweets":[{"type":"replied_to","id":"99999999999999999999999"}]}],"includes":{"users":[{"id":"9","username":"a/b"}]},"errors":[{}],"meta":{"next_token":"x"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		pg, err := decodePage(b)
		if err != nil {
			return
		}
		authors := map[string]*user{}
		for i := range pg.Includes.Users {
			authors[pg.Includes.Users[i].ID] = &pg.Includes.Users[i]
		}
		for i := range pg.Data {
			p := pg.Data[i].toPost(authors, now)
			if p.Published.IsZero() || p.NativeID != pg.Data[i].ID {
				t.Fatalf("bad post %+v", p)
			}
			for _, l := range p.Links {
				if l == "" {
					t.Fatal("empty link")
				}
			}
		}
		he := &listener.HTTPError{StatusCode: 400 + len(b)%30, Body: string(b)}
		if err := classify(he); !errors.As(err, &he) {
			t.Fatalf("classify lost the HTTPError: %v", err)
		}
	})
}
