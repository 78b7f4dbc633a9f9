package config

import (
	"testing"
	"time"
)

func TestExampleParses(t *testing.T) {
	cfg, err := Parse([]byte(Example()), "example.toml", noEnv)
	if err != nil {
		t.Fatalf("example does not parse:\n%v", err)
	}
	if got := len(cfg.Brands); got != 3 {
		t.Errorf("brands = %d, want 3", got)
	}
	if !cfg.Brands[0].Own || cfg.Brands[1].Own || cfg.Brands[2].Own {
		t.Errorf("own flags = %v %v %v, want only the first", cfg.Brands[0].Own, cfg.Brands[1].Own, cfg.Brands[2].Own)
	}
	for _, tp := range cfg.Topics {
		if tp.Parsed == nil {
			t.Errorf("topic %q not parsed", tp.Name)
		}
	}
	if cfg.Earshot.Location == nil || cfg.Earshot.Location.String() != "Asia/Seoul" {
		t.Errorf("location = %v, want Asia/Seoul", cfg.Earshot.Location)
	}
	hn, rss := cfg.Sources[0], cfg.Sources[1]
	if hn.Name != "hackernews" || hn.BaseURL != "https://hn.algolia.com" || hn.Timeout.Std() != 30*time.Second {
		t.Errorf("hackernews source = %+v", hn)
	}
	if rss.Name != "news-ko" || rss.Every.Std() != 15*time.Minute || rss.Timeout.Std() != 20*time.Second || len(rss.URLs) != 2 {
		t.Errorf("rss source = %+v", rss)
	}
}

// noEnv is a getenv with an empty environment.
func noEnv(string) string { return "" }
