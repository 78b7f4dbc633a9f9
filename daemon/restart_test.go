package daemon

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/earshot/earshot/config"
)

// TestRestartNeededList checks which changed settings a reload reports as
// needing a restart: the listener, the data dir, logging, and the web
// server's allowed_hosts and trusted_proxies (the server keeps the lists
// it started with); a change that a reload applies is not reported.
func TestRestartNeededList(t *testing.T) {
	base := func() *config.Config {
		var c config.Config
		c.Earshot.Listen = "127.0.0.1:7070"
		c.Earshot.DataDir = "/var/lib/earshot"
		c.Earshot.LogLevel, c.Earshot.LogFormat = "info", "json"
		c.Earshot.AllowedHosts = []string{"earshot.example"}
		c.Earshot.TrustedProxies = []string{"10.0.0.0/8"}
		c.Brands = []config.Brand{{Name: "Acme"}}
		return &c
	}
	cases := []struct {
		name   string
		change func(c *config.Config)
		want   []string
	}{
		{"nothing", func(*config.Config) {}, nil},
		{"brands only (applied by the reload)", func(c *config.Config) { c.Brands = append(c.Brands, config.Brand{Name: "Umbrella"}) }, nil},
		{"allowed host added", func(c *config.Config) { c.Earshot.AllowedHosts = append(c.Earshot.AllowedHosts, "listen.example") }, []string{"allowed_hosts"}},
		{"allowed hosts cleared", func(c *config.Config) { c.Earshot.AllowedHosts = nil }, []string{"allowed_hosts"}},
		{"trusted proxy changed", func(c *config.Config) { c.Earshot.TrustedProxies = []string{"192.168.0.0/16"} }, []string{"trusted_proxies"}},
		{"both lists", func(c *config.Config) {
			c.Earshot.AllowedHosts = []string{"other.example"}
			c.Earshot.TrustedProxies = append(c.Earshot.TrustedProxies, "127.0.0.1/32")
		}, []string{"allowed_hosts", "trusted_proxies"}},
		{"listen and data dir", func(c *config.Config) {
			c.Earshot.Listen = "127.0.0.1:7071"
			c.Earshot.DataDir = "/srv/earshot"
		}, []string{"listen (127.0.0.1:7070 → 127.0.0.1:7071)", "data_dir (/var/lib/earshot → /srv/earshot)"}},
		{"logging", func(c *config.Config) { c.Earshot.LogLevel, c.Earshot.LogFormat = "debug", "console" }, []string{"log_level", "log_format"}},
	}
	names := map[string]bool{} // every setting the cases saw reported
	for _, c := range cases {
		for _, w := range c.want {
			names[strings.Fields(w)[0]] = true
		}
	}
	checkRestartDocs(t, names)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			old, cur := base(), base()
			c.change(cur)
			if got := restartNeeded(old, cur); !slices.Equal(got, c.want) {
				t.Errorf("restartNeeded = %q, want %q", got, c.want)
			}
		})
	}
}

// checkRestartDocs fails when a docs page's "need a restart" sentence
// names other settings than restartNeeded reports.
func checkRestartDocs(t *testing.T, names map[string]bool) {
	t.Helper()
	var want []string
	for n := range names {
		want = append(want, n)
	}
	slices.Sort(want)
	sentence := regexp.MustCompile(`[^.]*need a\s+restart`)
	ticked := regexp.MustCompile("`([a-z_]+)`")
	for _, page := range []string{"../docs/configuration.md", "../docs/operations.md"} {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		s := sentence.FindString(string(b))
		var got []string
		for _, m := range ticked.FindAllStringSubmatch(s, -1) {
			got = append(got, m[1])
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s says %v need a restart; restartNeeded reports %v", page, got, want)
		}
	}
}
