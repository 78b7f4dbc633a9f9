package daum

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/earshot/earshot/listener/daum/daumfake"
)

func FuzzDaumDecode(f *testing.F) {
	for _, name := range []string{"blog.json", "cafe.json", "web.json", "vclip.json", "errors/malformed.json", "errors/empty.json", "errors/quota.json"} {
		b, err := fs.ReadFile(daumfake.Recordings(), "testdata/"+name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"meta":{"is_end":false},"documents":[{"url":"http://cafe.daum.net/","datetime":"9999-99-99T99:99:99.000+09:00","title":"<b><b>"}]}`))
	f.Add([]byte(`{"meta":{},"documents":[{"url":"https://x.example/a","contents":"http://a http://b http://c","datetime":"2026-11-26T25:00:00+09:00"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		env, err := decodeEnvelope(b)
		if err != nil {
			return
		}
		for i := range env.Documents {
			for _, kind := range Kinds {
				m, ok := env.Documents[i].toPost(kind, now)
				if !ok {
					continue
				}
				p := m.post
				if p.NativeID == "" || p.Published.IsZero() || p.Published.After(now) || len(p.Links) > maxLinks ||
					p.Links[0] != p.URL || strings.Contains(p.Title, "<b>") || (m.latest.IsZero() != p.PublishedEstimated) {
					t.Fatalf("bad post %+v (latest %s)", p, m.latest)
				}
			}
		}
	})
}
