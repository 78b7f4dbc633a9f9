package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// bigConfig is a valid document with n competitor brands of 5 terms each.
func bigConfig(n int) []byte {
	var b strings.Builder
	b.WriteString(ownBrand)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\n[[brand]]\nname = \"Brand %d\"\nterms = [\"b%d-a\", \"b%d-b\", \"브랜드%d\", \"b%d-d\", \"b%d-e\"]\n", i, i, i, i, i, i)
		fmt.Fprintf(&b, "[brand.handles]\nmastodon = [\"@b%d@example.social\"]\n", i)
	}
	b.WriteString("\n[[source]]\nnetwork = \"hackernews\"\n")
	return []byte(b.String())
}

func benchParse(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data, "b.toml", noEnv); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse compares a full Parse with go-toml decoding the same
// document into a map (the first of Parse's passes): the ratio is the cost
// of indexing, typed decoding and validation.
func BenchmarkParse(b *testing.B) {
	for _, n := range []int{10, 1000} {
		data := bigConfig(n)
		b.Run(fmt.Sprintf("baseline-toml-map/brands=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var m map[string]any
				if err := toml.Unmarshal(data, &m); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("parse/brands=%d", n), func(b *testing.B) { benchParse(b, data) })
	}
	b.Run("parse/example", func(b *testing.B) { benchParse(b, []byte(Example())) })
}
