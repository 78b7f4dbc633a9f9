package daum

import (
	"encoding/json"
	"io/fs"
	"testing"

	"github.com/earshot/earshot/listener/daum/daumfake"
)

// BenchmarkDecodeMap decodes a recorded blog page and maps every document
// (HTML to text, links, dates), against a baseline that only unmarshals
// the same body into generic values.
func BenchmarkDecodeMap(b *testing.B) {
	body, err := fs.ReadFile(daumfake.Recordings(), "testdata/blog.json")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("baseline-unmarshal-any", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var v any
			if err := json.Unmarshal(body, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode-and-map", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			env, err := decodeEnvelope(body)
			if err != nil {
				b.Fatal(err)
			}
			for i := range env.Documents {
				if _, ok := env.Documents[i].toPost(KindBlog, now); !ok {
					b.Fatal("unmapped document")
				}
			}
		}
	})
}
