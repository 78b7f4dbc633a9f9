package config

import (
	"regexp"
	"strings"
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

var tomlKey = regexp.MustCompile(`^[a-z_]+ = `)

// The commented-out sections of the example are valid too: uncommented,
// with their secrets in the environment, the whole file parses.
func TestExampleCommentedSectionsParse(t *testing.T) {
	var out []string
	for _, line := range strings.Split(Example(), "\n") {
		if rest, ok := strings.CutPrefix(line, "# "); ok && (tomlKey.MatchString(rest) || strings.HasPrefix(rest, "[")) {
			line = rest
		}
		out = append(out, line)
	}
	env := func(k string) string {
		if k == "EARSHOT_API_TOKEN" {
			return strongTestToken // the API token must be strong (CheckToken)
		}
		if strings.HasSuffix(k, "_TOKEN") || strings.Contains(k, "SECRET") || strings.Contains(k, "PASSWORD") ||
			strings.HasSuffix(k, "_ID") || strings.HasSuffix(k, "_KEY") {
			return "secret"
		}
		return ""
	}
	cfg, err := Parse([]byte(strings.Join(out, "\n")), "example-all.toml", env)
	if err != nil {
		t.Fatalf("uncommented example does not parse:\n%v", err)
	}
	if n, want := len(cfg.Sources), len(NetworkNames()); n != want {
		t.Errorf("sources = %d, want one per network (%d)", n, want)
	}
	if len(cfg.Goals) != 2 || len(cfg.Sentiment.Overrides) != 1 || !cfg.Digest.Enabled() || cfg.Earshot.Retention == 0 {
		t.Errorf("goals %d, overrides %d, digest %v, retention %v", len(cfg.Goals), len(cfg.Sentiment.Overrides), cfg.Digest.Enabled(), cfg.Earshot.Retention)
	}
}
