package config

import (
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// hackerNewsTags are the allowed values of tags, which is also the default.
var hackerNewsTags = []string{"story", "comment"}

// naverKinds are the Naver searches, which is also the default.
var naverKinds = []string{"blog", "news", "cafearticle"}

// daumKinds are the Daum searches, which is also the default.
var daumKinds = []string{"blog", "cafe", "web", "vclip"}

func (v *validator) queries(s *Source, sp string) {
	for j, q := range s.Queries {
		if err := checkText(q); err != nil {
			v.c.at(indexKey(sp+".queries", j), "query %v", err)
		}
	}
}

func checkHackerNews(v *validator, s *Source, sp string) {
	v.queries(s, sp)
	v.tags(s, sp)
}

var redditName = regexp.MustCompile(`^[A-Za-z0-9_-]{2,32}$`)

func checkReddit(v *validator, s *Source, sp string) {
	v.queries(s, sp)
	if s.AuthURL == "" && !v.c.ix.has(sp+".auth_url") {
		s.AuthURL = "https://www.reddit.com"
	} else if err := checkURL(s.AuthURL); err != nil {
		v.c.at(sp+".auth_url", "%v", err)
	}
	for j, sub := range s.Subreddits {
		sub = strings.TrimPrefix(strings.TrimPrefix(sub, "/"), "r/")
		s.Subreddits[j] = sub
		if !redditName.MatchString(sub) {
			v.c.at(indexKey(sp+".subreddits", j), "invalid subreddit %q: want a name such as \"technology\"", truncate(sub, 40))
		}
	}
	// Reddit requires "<platform>:<app id>:<version> (by /u/<username>)".
	for _, k := range []struct{ key, val, example string }{{"app_id", s.AppID, "earshot"}, {"username", s.Username, "acme_marketing"}} {
		switch {
		case k.val == "":
			v.c.at(sp, "reddit sources need %s (Reddit's required User-Agent names it), e.g. %s = %q", k.key, k.key, k.example)
		case !redditName.MatchString(strings.TrimPrefix(k.val, "/u/")):
			v.c.at(sp+"."+k.key, "invalid %s %q: letters, digits, _ and - only", k.key, truncate(k.val, 40))
		}
	}
	s.Username = strings.TrimPrefix(s.Username, "/u/")
}

func checkMastodon(v *validator, s *Source, sp string) {
	v.queries(s, sp)
	if s.BaseURL == "" && !v.c.failed(sp+".base_url") {
		v.c.at(sp, "mastodon sources need base_url: the instance, e.g. \"https://mastodon.social\"")
	}
	for j, h := range s.Hashtags {
		h = strings.TrimPrefix(h, "#")
		s.Hashtags[j] = h
		if h == "" || strings.ContainsAny(h, " /?#&") {
			v.c.at(indexKey(sp+".hashtags", j), "invalid hashtag %q", truncate(h, 40))
		}
	}
	if len(s.Queries) > 0 && s.TokenEnv == "" {
		v.c.at(sp+".queries", "full-text search on Mastodon needs a user token: set token_env, or follow hashtags instead")
	}
}

func checkBluesky(v *validator, s *Source, sp string) {
	v.queries(s, sp)
	if strings.TrimSpace(s.Identifier) == "" {
		v.c.at(sp, "bluesky sources need identifier: the handle or e-mail of the account that logs in (search needs a login)")
	}
}

func checkDaum(v *validator, s *Source, sp string) {
	v.queries(s, sp)
	if !v.c.ix.has(sp + ".kinds") {
		s.Kinds = append([]string(nil), daumKinds...)
	}
	v.enum(sp+".kinds", s.Kinds, daumKinds)
}

var headerName = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)

func checkNaver(v *validator, s *Source, sp string) {
	v.queries(s, sp)
	if !v.c.ix.has(sp + ".kinds") {
		s.Kinds = append([]string(nil), naverKinds...)
	}
	v.enum(sp+".kinds", s.Kinds, naverKinds)
	if s.IDHeader == "" {
		s.IDHeader = "X-Naver-Client-Id"
	}
	if s.SecretHeader == "" {
		s.SecretHeader = "X-Naver-Client-Secret"
	}
	if s.PathTemplate == "" {
		s.PathTemplate = "/v1/search/{kind}.json"
		if strings.Contains(s.BaseURL, "naverapihub.") {
			s.PathTemplate = "/search/v1/{kind}"
		}
	} else if !strings.HasPrefix(s.PathTemplate, "/") || !strings.Contains(s.PathTemplate, "{kind}") {
		v.c.at(sp+".path_template", "path_template %q must start with / and contain {kind}", truncate(s.PathTemplate, 60))
	}
	for _, h := range []struct{ key, val string }{{"id_header", s.IDHeader}, {"secret_header", s.SecretHeader}} {
		if !headerName.MatchString(h.val) {
			v.c.at(sp+"."+h.key, "invalid header name %q", truncate(h.val, 40))
		}
	}
}

func checkYouTube(v *validator, s *Source, sp string) {
	v.queries(s, sp)
	if s.Comments == nil {
		t := true
		s.Comments = &t
	}
}

// budget fills and checks daily_budget from the network's Budget row.
func (v *validator) budget(s *Source, sp string, b *Budget) {
	bp := sp + ".daily_budget"
	switch {
	case v.c.failed(bp):
	case !v.c.ix.has(bp) && b.Default == 0:
		v.c.at(sp, "%s sources need daily_budget: the most %s per day (%s), e.g. daily_budget = 1000", s.Network, b.Unit, b.Why)
	case !v.c.ix.has(bp):
		s.DailyBudget = b.Default
	case s.DailyBudget < 1 || s.DailyBudget > b.Max:
		v.c.at(bp, "daily_budget %d must be from 1 to %d %s", s.DailyBudget, b.Max, b.Unit)
	}
}

// enum checks that every value is allowed and listed once.
func (v *validator) enum(path string, vals, allowed []string) {
	if v.c.ix.has(path) && len(vals) == 0 {
		v.c.at(path, "must not be empty: want some of %s", strings.Join(allowed, ", "))
	}
	seen := map[string]bool{}
	for j, t := range vals {
		p := indexKey(path, j)
		switch {
		case !slices.Contains(allowed, t):
			v.c.at(p, "unknown value %q: want some of %s", truncate(t, 40), strings.Join(allowed, ", "))
		case seen[t]:
			v.c.at(p, "%q listed twice", t)
		}
		seen[t] = true
	}
}

func checkWeb(v *validator, s *Source, sp string) {
	if len(s.StartURLs) == 0 {
		v.c.at(sp, "web sources need start_urls")
	}
	for j, u := range s.StartURLs {
		if err := checkURL(u); err != nil {
			v.c.at(indexKey(sp+".start_urls", j), "%v", err)
		}
	}
	for j, d := range s.AllowedDomains {
		if d == "" || strings.ContainsAny(d, "/: ") {
			v.c.at(indexKey(sp+".allowed_domains", j), "invalid domain %q: want a host name such as \"forum.example.com\"", truncate(d, 60))
		}
	}
	if strings.TrimSpace(s.ItemSelector) == "" {
		v.c.at(sp, "web sources need item_selector: the CSS selector of one post on the page")
	}
	if s.FollowPattern != "" {
		if _, err := regexp.Compile(s.FollowPattern); err != nil {
			v.c.at(sp+".follow_pattern", "invalid regular expression: %v", err)
		}
	}
	if s.MaxPages == 0 && !v.c.ix.has(sp+".max_pages") {
		s.MaxPages = 20
	} else if s.MaxPages < 1 || s.MaxPages > 1000 {
		v.c.at(sp+".max_pages", "max_pages %d must be from 1 to 1000", s.MaxPages)
	}
	if !v.c.ix.has(sp + ".delay") {
		s.Delay = Duration(2 * time.Second)
	} else if s.Delay.Std() < 500*time.Millisecond && !allLoopback(s.StartURLs) {
		v.c.at(sp+".delay", "delay %s is under the polite floor of 500ms (allowed only for sites on this machine)", fmtDuration(s.Delay.Std()))
	} else if s.Delay < 0 {
		v.c.at(sp+".delay", "delay must not be negative")
	}
	if s.Parallelism == 0 && !v.c.ix.has(sp+".parallelism") {
		s.Parallelism = 1
	} else if s.Parallelism < 1 || s.Parallelism > 4 {
		v.c.at(sp+".parallelism", "parallelism %d must be from 1 to 4 per domain", s.Parallelism)
	}
	// A crawl is paced by delay: give it time for every page unless the
	// user chose a timeout.
	if !v.c.ix.has(sp+".timeout") && !v.c.failed(sp+".every") {
		s.Timeout = Duration(min(s.Every.Std(), time.Duration(s.MaxPages)*s.Delay.Std()*5/4+30*time.Second))
	}
	if s.MaxBody == 0 && !v.c.ix.has(sp+".max_body") {
		s.MaxBody = 5 << 20
	} else if s.MaxBody < 1024 || s.MaxBody > 100<<20 {
		v.c.at(sp+".max_body", "max_body %d must be from 1024 to %d bytes", s.MaxBody, 100<<20)
	}
}

// secretKeys maps every *_env key of a source to its Secrets name.
var secretKeys = map[string]string{
	"client_id_env": "client_id", "client_secret_env": "client_secret", "token_env": "token",
	"password_env": "password", "api_key_env": "api_key", "bearer_token_env": "bearer_token",
}

// secrets resolves the source's *_env keys into Secrets.
func (v *validator) secrets(s *Source, sp string, r Network) {
	refs := map[string]string{
		"client_id_env": s.ClientIDEnv, "client_secret_env": s.ClientSecretEnv, "token_env": s.TokenEnv,
		"password_env": s.PasswordEnv, "api_key_env": s.APIKeyEnv, "bearer_token_env": s.BearerTokenEnv,
	}
	for _, k := range r.Secrets {
		if refs[k] == "" && !v.c.failed(sp+"."+k) {
			v.c.at(sp, "%s sources need %s: the name of an environment variable holding the secret", s.Network, k)
		}
	}
	for k, name := range refs {
		if name == "" || (!slices.Contains(r.Secrets, k) && !slices.Contains(r.OptionalSecrets, k)) {
			continue
		}
		kp := sp + "." + k
		if !validEnvName(name) {
			v.c.at(kp, "invalid environment variable name %q: want letters, digits and _", truncate(name, 40))
			continue
		}
		val := strings.TrimSpace(v.getenv(name))
		if val == "" {
			v.c.at(kp, "missing secret: environment variable %s named by %s is not set", name, k)
			continue
		}
		if s.Secrets == nil {
			s.Secrets = map[string]string{}
		}
		s.Secrets[secretKeys[k]] = val
	}
}

// allLoopback reports whether every URL points at this machine (a local
// test site may be crawled without the polite delay).
func allLoopback(urls []string) bool {
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			return false
		}
		switch h := u.Hostname(); {
		case h == "localhost":
		case net.ParseIP(h) != nil && net.ParseIP(h).IsLoopback():
		default:
			return false
		}
	}
	return len(urls) > 0
}
