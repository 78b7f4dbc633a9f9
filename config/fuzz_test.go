package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that no document makes Parse panic, and that its result
// is either a config with exactly one own brand or a non-empty Errors.
func FuzzParse(f *testing.F) {
	f.Add([]byte(Example()))
	f.Add([]byte(ownBrand))
	f.Add([]byte("[[brand]]\nname = \"a\"\nown = true\n[brand.handles]\nx = [\"a\"]\n[[source]]\nnetwork = \"hackernews\"\nevery = \"1m\"\n"))
	f.Add([]byte("brand = [{ name = \"a\", own = true, terms = [\"아\", 1] }]\ntopic = [{ name = \"t\", query = \"(a\" }]\n"))
	f.Add([]byte("[earshot]\nlisten = \"[::]:1\"\napi_token_env = \"X\"\n"))
	files, _ := filepath.Glob(filepath.Join(testdata, "*.toml"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.toml", func(k string) string {
			if k == "X" {
				return "token"
			}
			return ""
		})
		if err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %T is not a non-empty Errors: %v", err, err)
			}
			for _, e := range es {
				if e.Msg == "" || e.Line < 0 || e.Col < 0 {
					t.Fatalf("malformed error %+v", e)
				}
			}
			return
		}
		own := 0
		for _, b := range c.Brands {
			if b.Own {
				own++
			}
		}
		if own != 1 || c.Earshot.Location == nil || c.Earshot.Listen == "" {
			t.Fatalf("accepted an invalid config: %+v", c)
		}
		for _, s := range c.Sources {
			if s.Name == "" || s.Every <= 0 || s.Timeout <= 0 || s.Timeout > s.Every {
				t.Fatalf("accepted source without defaults: %+v", s)
			}
		}
	})
}
