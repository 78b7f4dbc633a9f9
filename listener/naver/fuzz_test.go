package naver

import (
	"io/fs"
	"testing"

	"github.com/earshot/earshot/listener/naver/naverfake"
)

func FuzzNaverDecode(f *testing.F) {
	for _, name := range []string{"blog.json", "news.json", "cafearticle.json", "errors/malformed.json", "errors/auth_failed.json"} {
		b, err := fs.ReadFile(naverfake.Recordings(), "testdata/"+name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"items":[{"link":"http://blog.naver.com/x?Redirect=Log&logNo=1","postdate":"99999999","bloggerlink":"::"}],"total":-1}`))
	f.Add([]byte(`{"items":[{"link":"https://cafe.naver.com/","originallink":"javascript:alert(1)","pubDate":"Mon, 99 Nov 2026 25:00:00 +0900"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		env, err := decodeEnvelope(b)
		if err != nil {
			return
		}
		for i := range env.Items {
			for _, kind := range Kinds {
				m, ok := env.Items[i].toPost(kind, now)
				if !ok {
					continue
				}
				if m.post.NativeID == "" || m.post.Published.IsZero() || len(m.post.Links) > maxLinks {
					t.Fatalf("bad post %+v", m.post)
				}
			}
		}
	})
}
