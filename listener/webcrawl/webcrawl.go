package webcrawl

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"github.com/rs/zerolog"

	"github.com/earshot/earshot/listener"
)

// Network is the value of Post.Network and Source.Network.
const Network = "web"

// Defaults applied by New, and hard limits.
const (
	DefaultMaxPages       = 20
	DefaultDelay          = 2 * time.Second
	DefaultParallelism    = 1
	DefaultMaxBody        = 5 << 20
	DefaultRequestTimeout = 20 * time.Second
	DefaultLookback       = 72 * time.Hour
	DefaultMaxItems       = 1000
	// MaxPagesLimit caps MaxPages whatever the configuration says.
	MaxPagesLimit = 1000
	// MaxItemsPerPage caps the items taken from one page.
	MaxItemsPerPage = 500
	// MaxSeen bounds the permalinks and the pages kept in the cursor.
	MaxSeen = 5000
	// maxLinksPerPage bounds the links considered for following on a page.
	maxLinksPerPage = 2000
)

// Config configures a Source. Zero fields take the defaults above.
type Config struct {
	Name      string
	StartURLs []string
	// AllowedDomains are hostnames ("forum.example", any port) or
	// host:port pairs; empty means the start URLs' hosts with their ports.
	AllowedDomains []string

	ItemSelector   string // required: one post per match
	TitleSelector  string // inside the item
	TextSelector   string // inside the item; the whole item when empty
	AuthorSelector string // inside the item
	TimeSelector   string // inside the item; datetime attribute, else text
	TimeLayout     string // Go layout for the time text, tried first
	LinkSelector   string // inside the item; its href is the permalink
	ReplySelector  string // inside the item; its href is the parent's permalink
	// Location is the zone of times written without one (UTC when nil).
	Location *time.Location

	FollowPattern  string        // regexp over absolute URLs of links to follow
	MaxPages       int           // per fetch, default 20
	MaxItems       int           // posts per fetch, default 1000
	Delay          time.Duration // between requests to a host; default 2s, negative: none
	Parallelism    int           // concurrent requests, default 1
	MaxBody        int64         // bytes, default 5 MB
	RequestTimeout time.Duration // per request, default 20s
	UserAgent      string        // honest UA with contact (httpx.UserAgent)
	Lookback       time.Duration

	// OwnedBrand marks every post Owned by that brand (a brand's own blog).
	OwnedBrand string
	// Accounts mark posts Owned: a Handle with a dot is a host, other
	// handles are author handles on the crawled site.
	Accounts []listener.Account
}

// Source crawls one site. It implements listener.Source.
type Source struct {
	cfg   Config
	clock func() time.Time
	log   zerolog.Logger
}

// New returns a Source with cfg's defaults filled in; clock gives the time
// (time.Now when nil). Configuration errors are reported by Fetch.
func New(cfg Config, clock func() time.Time, logger zerolog.Logger) *Source {
	if cfg.Name == "" {
		cfg.Name = Network
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = DefaultMaxPages
	}
	cfg.MaxPages = min(cfg.MaxPages, MaxPagesLimit)
	if cfg.MaxItems <= 0 {
		cfg.MaxItems = DefaultMaxItems
	}
	if cfg.Delay == 0 {
		cfg.Delay = DefaultDelay
	}
	if cfg.Delay < 0 {
		cfg.Delay = 0
	}
	if cfg.Parallelism <= 0 {
		cfg.Parallelism = DefaultParallelism
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.Lookback <= 0 {
		cfg.Lookback = DefaultLookback
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if clock == nil {
		clock = time.Now
	}
	return &Source{cfg: cfg, clock: clock, log: logger.With().Str("source", cfg.Name).Logger()}
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Network returns "web".
func (s *Source) Network() string { return Network }

// plan is the validated, compiled form of a Config.
type plan struct {
	starts  []*url.URL
	hosts   map[string]bool // hostnames allowed on any port
	hostsP  map[string]bool // host:port allowed
	follow  *regexp.Regexp
	sel     selectors
	collyOK []string // hostnames for colly's AllowedDomains
}

// selectors are the compiled item selectors; nil means unset.
type selectors struct {
	item, title, text, author, time, link, reply cascadia.Selector
	timeLayout                                   string
	loc                                          *time.Location
}

func (s *Source) compile() (*plan, error) {
	c := s.cfg
	p := &plan{hosts: map[string]bool{}, hostsP: map[string]bool{}}
	for _, raw := range c.StartURLs {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("start url %q: want an absolute http(s) url", raw)
		}
		p.starts = append(p.starts, canonical(u))
	}
	if len(p.starts) == 0 {
		return nil, errors.New("no start urls configured")
	}
	if len(c.AllowedDomains) == 0 {
		for _, u := range p.starts {
			p.hostsP[u.Host] = true
		}
	}
	for _, d := range c.AllowedDomains {
		d = strings.ToLower(strings.TrimSpace(d))
		if d == "" {
			continue
		}
		if strings.Contains(d, "://") { // a URL where a host was meant
			u, err := url.Parse(d)
			if err != nil || u.Host == "" {
				return nil, fmt.Errorf("allowed domain %q: want a hostname", d)
			}
			d = canonical(u).Host
		}
		if _, _, err := net.SplitHostPort(d); err == nil {
			p.hostsP[d] = true
		} else {
			p.hosts[strings.TrimSuffix(d, ".")] = true
		}
	}
	for hp := range p.hostsP {
		p.collyOK = append(p.collyOK, hostname(hp))
	}
	for h := range p.hosts {
		p.collyOK = append(p.collyOK, h)
	}
	if c.FollowPattern != "" {
		re, err := regexp.Compile(c.FollowPattern)
		if err != nil {
			return nil, fmt.Errorf("follow_pattern: %w", err)
		}
		p.follow = re
	}
	if strings.TrimSpace(c.ItemSelector) == "" {
		return nil, errors.New("item_selector is required")
	}
	p.sel.timeLayout, p.sel.loc = c.TimeLayout, c.Location
	for _, f := range []struct {
		name, src string
		dst       *cascadia.Selector
	}{
		{"item_selector", c.ItemSelector, &p.sel.item},
		{"title_selector", c.TitleSelector, &p.sel.title},
		{"text_selector", c.TextSelector, &p.sel.text},
		{"author_selector", c.AuthorSelector, &p.sel.author},
		{"time_selector", c.TimeSelector, &p.sel.time},
		{"link_selector", c.LinkSelector, &p.sel.link},
		{"reply_selector", c.ReplySelector, &p.sel.reply},
	} {
		if strings.TrimSpace(f.src) == "" {
			continue
		}
		sel, err := cascadia.Compile(f.src)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", f.name, f.src, err)
		}
		*f.dst = sel
	}
	return p, nil
}

// allowed reports whether links to u may be followed.
func (p *plan) allowed(u *url.URL) bool {
	return p.hostsP[u.Host] || p.hosts[u.Hostname()]
}

func hostname(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}
