package bluesky

import (
	"encoding/json"
	"io/fs"
	"testing"

	"github.com/earshot/earshot/listener/bluesky/blueskyfake"
)

// BenchmarkDecode maps the fixture pool (28 posts) to Posts; the Baseline
// sub-benchmark only unmarshals the same body into generic maps, for a
// ratio on this machine.
func BenchmarkDecode(b *testing.B) {
	pool, err := fs.ReadFile(blueskyfake.Recordings(), "testdata/posts.json")
	if err != nil {
		b.Fatal(err)
	}
	body := append(append([]byte(`{"cursor":"28","posts":`), pool...), '}')
	b.Run("Baseline", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var m map[string]any
			if err := json.Unmarshal(body, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Posts", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			r, err := decodeSearch(body)
			if err != nil {
				b.Fatal(err)
			}
			for i := range r.Posts {
				rec, at, err := r.Posts[i].decode()
				if err != nil {
					b.Fatal(err)
				}
				_ = r.Posts[i].toPost(rec, at)
			}
		}
	})
}
