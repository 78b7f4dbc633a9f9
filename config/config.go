package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/config/query"
)

// Config is a validated Earshot configuration. Load returns one only when
// every check passed; the zero value is not useful.
type Config struct {
	Earshot Earshot  `toml:"earshot"`
	Brands  []Brand  `toml:"brand"`
	Topics  []Topic  `toml:"topic"`
	Sources []Source `toml:"source"`

	// File is the path the configuration was loaded from ("" for built-in ones).
	File string `toml:"-"`
}

// Earshot holds daemon-wide settings.
type Earshot struct {
	DataDir  string `toml:"data_dir"`  // default "./earshot-data"
	Listen   string `toml:"listen"`    // default "127.0.0.1:8089"
	Timezone string `toml:"timezone"`  // IANA name, default "UTC"
	LogLevel string `toml:"log_level"` // debug|info|warn|error, default "info"
	// Contact is a URL or e-mail put in the User-Agent of every request so
	// that site owners can reach the operator ("Earshot/0.1 (+contact)").
	Contact string `toml:"contact"`
	// APITokenEnv names the environment variable holding the bearer token
	// the HTTP API requires. Required when Listen is not a loopback address.
	// Secrets never appear in the file itself.
	APITokenEnv string `toml:"api_token_env"`

	Location *time.Location `toml:"-"` // resolved from Timezone
	APIToken string         `toml:"-"` // resolved from APITokenEnv; "" when unset
}

// Brand is the own brand (Own = true, exactly one) or a competitor.
type Brand struct {
	Name string `toml:"name"`
	Own  bool   `toml:"own"`
	// Terms are aliases in any script ("Acme", "아크미"); Name is always a term too.
	Terms []string `toml:"terms"`
	// Exclude lists phrases that veto a match ("acme road runner").
	Exclude []string `toml:"exclude"`
	// Handles maps a network name to the brand's own accounts on it.
	Handles map[string][]string `toml:"handles"`
	// Domains the brand owns (links to them are traffic the brand gets).
	Domains []string `toml:"domains"`
}

// AllTerms returns Name followed by Terms, without duplicates.
func (b Brand) AllTerms() []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range append([]string{b.Name}, b.Terms...) {
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

// Topic is a named query in the query language (see package query).
type Topic struct {
	Name  string `toml:"name"`
	Query string `toml:"query"`

	Parsed query.Node `toml:"-"` // set by Load
}

// Networks known to this build.
const (
	NetworkHackerNews = "hackernews"
	NetworkRSS        = "rss"
)

// Source is one thing to poll. Network-specific keys are documented beside
// each field; a key that does not apply to the source's network is an error.
type Source struct {
	Network string   `toml:"network"` // one of the Network* constants
	Name    string   `toml:"name"`    // unique; defaults to network, or network-N
	Every   Duration `toml:"every"`   // poll interval; floor per network
	Timeout Duration `toml:"timeout"` // per fetch, default 30s
	BaseURL string   `toml:"base_url"`
	// Lookback is how far back the first fetch of a source reaches (default
	// 72h); later fetches continue from the saved cursor.
	Lookback Duration `toml:"lookback"`

	// hackernews: queries to search for; default: every brand term and handle.
	Queries []string `toml:"queries"`
	// hackernews: "story", "comment" (default both).
	Tags []string `toml:"tags"`
	// rss: feed URLs (RSS, Atom, JSON Feed; Google News and Alerts included).
	URLs []string `toml:"urls"`
}

// Duration is a time.Duration that decodes from TOML strings like "15m",
// "72h" or "14d" (a day is 24 hours; "1d12h" works too).
type Duration time.Duration

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	s := string(b)
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.ParseUint(s[:i], 10, 16)
		if err != nil {
			return fmt.Errorf("time: invalid duration %q", s)
		}
		days, s = time.Duration(n)*24*time.Hour, s[i+1:]
		if s == "" {
			*d = Duration(days)
			return nil
		}
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(days + v)
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }
