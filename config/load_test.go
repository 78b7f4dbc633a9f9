package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const testdata = "testdata"

// testEnv is the environment the testdata files are loaded with.
func testEnv(k string) string {
	switch k {
	case "EARSHOT_API_TOKEN":
		return "  " + strongTestToken + "  "
	case "REDDIT_ID", "REDDIT_SECRET", "MASTODON_TOKEN", "BSKY_PASSWORD", "NAVER_ID", "NAVER_SECRET", "YT_KEY", "X_TOKEN", "SMTP_PASSWORD":
		return "secret-" + strings.ToLower(k)
	case "SLACK_WEBHOOK_URL":
		return "https://hooks.slack.example/services/T0/B0/test"
	}
	return ""
}

// goodChecks asserts what each good file must decode to, defaults included.
var goodChecks = map[string]func(t *testing.T, c *Config){
	"networks.good.toml": func(t *testing.T, c *Config) {
		if len(c.Sources) != 7 {
			t.Fatalf("sources = %d", len(c.Sources))
		}
		r, m, b, n, y, x, w := c.Sources[0], c.Sources[1], c.Sources[2], c.Sources[3], c.Sources[4], c.Sources[5], c.Sources[6]
		if r.Secrets["client_id"] != "secret-reddit_id" || r.Secrets["client_secret"] != "secret-reddit_secret" ||
			r.BaseURL != "https://oauth.reddit.com" || r.AuthURL != "https://www.reddit.com" || r.Every.Std() != 5*time.Minute {
			t.Errorf("reddit = %+v", r)
		}
		if m.Secrets["token"] != "secret-mastodon_token" || m.Hashtags[0] != "acme" {
			t.Errorf("mastodon = %+v", m)
		}
		if b.Secrets["password"] != "secret-bsky_password" || b.BaseURL != "https://bsky.social" {
			t.Errorf("bluesky = %+v", b)
		}
		if n.DailyBudget != 25000 || n.IDHeader != "X-NCP-APIGW-API-KEY-ID" || n.PathTemplate != "/search/v1/{kind}" || len(n.Kinds) != 2 || n.Every.Std() != 15*time.Minute {
			t.Errorf("naver = %+v", n)
		}
		if y.DailyBudget != 5000 || y.Comments == nil || *y.Comments || y.Secrets["api_key"] != "secret-yt_key" {
			t.Errorf("youtube = %+v", y)
		}
		if x.DailyBudget != 500 || x.Secrets["bearer_token"] != "secret-x_token" {
			t.Errorf("x = %+v", x)
		}
		if w.Name != "forum" || w.MaxPages != 5 || w.Delay.Std() != 3*time.Second || w.Parallelism != 1 || w.MaxBody != 5<<20 || w.Every.Std() != time.Hour || w.Timeout.Std() != 5*3*time.Second*5/4+30*time.Second {
			t.Errorf("web = %+v", w)
		}
	},
	"minimal.good.toml": func(t *testing.T, c *Config) {
		e := c.Earshot
		want := Earshot{DataDir: DefaultDataDir, Listen: DefaultListen, Timezone: "UTC", LogLevel: "info", LogFormat: "auto", Location: time.UTC}
		if !reflect.DeepEqual(e, want) {
			t.Errorf("earshot = %+v, want %+v", e, want)
		}
		if len(c.Brands) != 1 || c.Brands[0].Name != "Acme" || !c.Brands[0].Own {
			t.Errorf("brands = %+v", c.Brands)
		}
		if len(c.Topics) != 0 || len(c.Sources) != 0 {
			t.Errorf("topics, sources = %d, %d; want none", len(c.Topics), len(c.Sources))
		}
	},
	"korean.good.toml": func(t *testing.T, c *Config) {
		if got := c.Brands[0].AllTerms(); !reflect.DeepEqual(got, []string{"아크미", "Acme", "에이크미", "ＡＣＭＥ코리아"}) {
			t.Errorf("own terms = %q", got)
		}
		if got := c.Brands[0].Handles["naver"]; !reflect.DeepEqual(got, []string{"acme_official"}) {
			t.Errorf("naver handles = %q", got)
		}
		if got := c.Brands[0].Domains; !reflect.DeepEqual(got, []string{"아크미.kr", "acme.co.kr"}) {
			t.Errorf("domains = %q", got)
		}
		if c.Earshot.Location.String() != "Asia/Seoul" {
			t.Errorf("location = %v", c.Earshot.Location)
		}
		for _, tp := range c.Topics {
			if tp.Parsed == nil {
				t.Errorf("topic %q not parsed", tp.Name)
			}
		}
		if c.Sources[0].Name != "rss" || c.Sources[1].Name != "rss-2" {
			t.Errorf("source names = %q, %q; want rss, rss-2", c.Sources[0].Name, c.Sources[1].Name)
		}
		if c.Sources[0].Every.Std() != 15*time.Minute || c.Sources[1].Every.Std() != time.Hour {
			t.Errorf("intervals = %v, %v", c.Sources[0].Every.Std(), c.Sources[1].Every.Std())
		}
		if !strings.Contains(c.Sources[0].URLs[0], "q=아크미") {
			t.Errorf("url = %q", c.Sources[0].URLs[0])
		}
	},
	"goals.good.toml": func(t *testing.T, c *Config) {
		if len(c.Goals) != 3 {
			t.Fatalf("goals = %+v", c.Goals)
		}
		g0, g1, g2 := c.Goals[0], c.Goals[1], c.Goals[2]
		if g0.Name != "Acme sov reddit" || g0.Brand != "Acme" || g0.Target != 35 || g0.Deadline.Format(time.DateOnly) != "2026-12-31" || !g0.Start.IsZero() {
			t.Errorf("goal 0 = %+v", g0)
		}
		if g1.Network != GoalAllNetworks || g1.TargetValue() != 2 || !g1.LowerIsBetter() || g1.Start.Format(time.DateOnly) != "2026-10-01" {
			t.Errorf("goal 1 = %+v", g1)
		}
		if g2.Brand != "Globex" || g2.Metric != GoalNetSentiment || g2.TargetValue() != 0.25 || g2.LowerIsBetter() {
			t.Errorf("goal 2 = %+v", g2)
		}
	},
	"digest.good.toml": func(t *testing.T, c *Config) {
		d := c.Digest
		want := []Recipient{{Email: "kim@acme.example", Lang: "en"}, {Email: "lee@acme.example", Name: "이영희", Lang: "en"},
			{Email: "park@acme.example", Name: "박민수", Brands: []string{"Globex"}, Networks: []string{"naver", "x"}, Lang: "en"}}
		if !reflect.DeepEqual(d.To, want) {
			t.Errorf("to = %+v, want %+v", d.To, want)
		}
		if d.SMTPPort != 587 || d.TLS != DigestTLSStartTLS || d.Password != "secret-smtp_password" || d.BaseURL != "http://127.0.0.1:8089" || !d.Enabled() {
			t.Errorf("digest = %+v", d)
		}
		if got := want[1].Address(); got != "=?utf-8?q?=EC=9D=B4=EC=98=81=ED=9D=AC?= <lee@acme.example>" {
			t.Errorf("address = %q", got)
		}
	},
	"full.good.toml": func(t *testing.T, c *Config) {
		if o := c.Sentiment.Overrides; len(o) != 2 || o[0].Term != "killer feature" || o[0].Score != 2.5 || o[1].Brands[0] != "Acme" {
			t.Errorf("sentiment overrides = %+v", o)
		}
		if c.Earshot.APIToken != strongTestToken || c.Earshot.APITokenEnv != "EARSHOT_API_TOKEN" {
			t.Errorf("token = %q from %q", c.Earshot.APIToken, c.Earshot.APITokenEnv)
		}
		if c.Earshot.Listen != "0.0.0.0:9090" || c.Earshot.LogLevel != "debug" || c.Earshot.LogFormat != LogFormatJSON || c.Earshot.DataDir != "/var/lib/earshot" {
			t.Errorf("earshot = %+v", c.Earshot)
		}
		if got := c.Brands[0].Domains; !reflect.DeepEqual(got, []string{"acme.example", "www.acme.example"}) {
			t.Errorf("domains = %q", got)
		}
		if got := c.Brands[0].Handles; len(got) != 3 || got["bluesky"][0] != "acme.bsky.social" {
			t.Errorf("handles = %q", got)
		}
		if got := c.Brands[1].Handles["reddit"]; !reflect.DeepEqual(got, []string{"globex"}) {
			t.Errorf("dotted-key handles = %q", got)
		}
		var names []string
		for _, s := range c.Sources {
			names = append(names, s.Name)
		}
		if want := []string{"hn-stories", "hackernews", "hackernews-3", "hackernews-2"}; !reflect.DeepEqual(names, want) {
			t.Errorf("source names = %q, want %q", names, want)
		}
		hn := c.Sources[0]
		if hn.Every.Std() != 2*time.Minute || hn.Timeout.Std() != 10*time.Second || hn.BaseURL != "http://127.0.0.1:8080" ||
			!reflect.DeepEqual(hn.Tags, []string{"story"}) || !reflect.DeepEqual(hn.Queries, []string{"acme", `"acme corp"`}) {
			t.Errorf("hn-stories = %+v", hn)
		}
		def := c.Sources[1]
		if def.Every.Std() != 5*time.Minute || def.Timeout.Std() != 30*time.Second || def.BaseURL != "https://hn.algolia.com" ||
			!reflect.DeepEqual(def.Tags, []string{"story", "comment"}) || def.Queries != nil {
			t.Errorf("default hackernews = %+v", def)
		}
	},
	"inline.good.toml": func(t *testing.T, c *Config) {
		if len(c.Brands) != 2 || !c.Brands[0].Own || c.Brands[1].Name != "Globex" {
			t.Errorf("brands = %+v", c.Brands)
		}
		if len(c.Topics) != 1 || c.Topics[0].Parsed == nil {
			t.Errorf("topics = %+v", c.Topics)
		}
		if len(c.Sources) != 1 || c.Sources[0].Name != "rss" {
			t.Errorf("sources = %+v", c.Sources)
		}
	},
}

func TestGoodFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testdata, "*.good.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no good files: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			c, err := Load(f, testEnv)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if c.File != f {
				t.Errorf("File = %q, want %q", c.File, f)
			}
			check, ok := goodChecks[name]
			if !ok {
				t.Fatalf("no checks for %s: add them to goodChecks", name)
			}
			check(t, c)
		})
	}
}

// want is one expected error: position (Col 0 = any), key and a substring
// of the message.
type want struct {
	line, col int
	key, msg  string
}

var badCases = map[string][]want{
	"unknown-key.bad.toml": {
		{2, 1, "earshot.listne", `unknown key "listne" (did you mean "listen"?)`},
		{7, 1, "brand[0].alias", `unknown key "alias"`},
		{11, 1, "source[0].evry", `did you mean "every"?`},
		{13, 2, "metrics", `unknown key "metrics"`},
	},
	"wrong-type.bad.toml": {
		{2, 1, "earshot.listen", "expected a string, got integer 8089"},
		{6, 1, "brand[0].own", `expected true or false, got string "yes"`},
		{7, 1, "brand[0].terms", "expected an array"},
		{11, 1, "source[0].every", "expected a duration string"},
		{12, 18, "source[0].tags[1]", "expected a string, got integer 2"},
	},
	"duplicate-brand.bad.toml": {
		{9, 1, "brand[2].name", `duplicate brand name "ＡＣＭＥ" (first defined at line 2)`},
	},
	"duplicate-term.bad.toml": {
		{5, 12, "brand[0].exclude[0]", "would veto every match"},
		{9, 10, "brand[1].terms[0]", `term "roadrunner" is also a term of brand "Acme" (line 4)`},
		{9, 24, "brand[1].terms[1]", "term must not be empty"},
	},
	"no-own-brand.bad.toml": {
		{1, 3, "brand[0]", "no brand has own = true"},
	},
	"two-own-brands.bad.toml": {
		{7, 1, "brand[1].own", `a second brand with own = true ("Acme" at line 3`},
		{11, 1, "brand[2].own", "a second brand with own = true"},
	},
	"unknown-network.bad.toml": {
		{4, 36, "brand[0].handles.friendster", `unknown network "friendster"`},
		{7, 1, "source[0].network", `unknown network "myspace": want one of hackernews, rss, reddit`},
		{9, 3, "source[1]", `reddit sources need client_id_env`},
		{9, 3, "source[1]", `reddit sources need client_secret_env`},
		{9, 3, "source[1]", `reddit sources need app_id`},
		{9, 3, "source[1]", `reddit sources need username`},
		{12, 3, "source[2]", `missing required key "network"`},
	},
	"interval-floor.bad.toml": {
		{7, 1, "source[0].every", "interval 10s is under the floor of 1m for hackernews"},
		{11, 1, "source[1].every", "interval 1m is under the floor of 5m for rss"},
		{17, 1, "source[2].timeout", "timeout 11m exceeds the poll interval 10m"},
		{22, 1, "source[3].every", `invalid duration "soon"`},
		{23, 1, "source[3].timeout", "timeout -1s must be positive"},
	},
	"missing-secret.bad.toml": {
		{3, 1, "earshot.api_token_env", "missing secret: environment variable EARSHOT_TEST_UNSET_TOKEN named by api_token_env is not set"},
	},
	"inline-secret.bad.toml": {
		{2, 1, "earshot.api_token", `secrets are never allowed in the file; put the value in an environment variable and name it with "api_token_env"`},
		{11, 1, "source[0].client-secret", `"client_secret_env"`},
		{12, 1, "source[0].password", `"password_env"`},
	},
	"log-format.bad.toml": {
		{3, 1, "earshot.log_format", `invalid log format "logfmt": want one of auto, json, console`},
	},
	"bad-timezone.bad.toml": {
		{2, 1, "earshot.timezone", `unknown time zone "Asia/Gangnam"`},
	},
	"bad-listen.bad.toml": {
		{2, 1, "earshot.listen", `invalid listen address "localhost": want host:port`},
	},
	"public-listen.bad.toml": {
		{2, 1, "earshot.listen", `listening on ":8089" exposes the API beyond this machine: set api_token_env`},
	},
	"bad-query.bad.toml": {
		{7, 10, "topic[0].query", "invalid query: unclosed parenthesis (query column 1)"},
		{11, 10, "topic[1].query", "invalid query: query needs a term that is not negated"},
		{13, 3, "topic[2]", `missing required key "query"`},
		{14, 1, "topic[2].name", `duplicate topic name "broken" (first defined at line 6)`},
	},
	"bad-url.bad.toml": {
		{4, 12, "brand[0].domains[0]", "want a bare host name"},
		{4, 37, "brand[0].domains[1]", `invalid domain "acme"`},
		{8, 1, "source[0].base_url", `invalid URL "hn.algolia.com": want an absolute http:// or https:// URL`},
		{13, 3, "source[1].urls[0]", `invalid URL "ftp://example.org/feed"`},
		{14, 3, "source[1].urls[1]", `invalid URL "/relative/feed.xml"`},
		{15, 3, "source[1].urls[2]", `"https://user:xxxxx@example.org/feed": credentials are never allowed`},
		{16, 3, "source[1].urls[3]", "contains a space"},
		{21, 1, "source[2].urls", "needs at least one feed URL"},
	},
	"not-applicable.bad.toml": {
		{7, 1, "source[0].urls", `"urls" does not apply to hackernews sources`},
		{8, 18, "source[0].tags[1]", `unknown value "poll": want some of story, comment`},
		{12, 1, "source[1].queries", `"queries" does not apply to rss sources`},
		{13, 1, "source[1].base_url", `"base_url" does not apply to rss sources`},
	},
	"networks.bad.toml": {
		{9, 1, "source[0].client_secret_env", `missing secret: environment variable EARSHOT_UNSET_SECRET named by client_secret_env is not set`},
		{11, 1, "source[0].username", `invalid username "acme marketing"`},
		{12, 31, "source[0].subreddits[1]", `invalid subreddit "no spaces allowed"`},
		{14, 3, "source[1]", `mastodon sources need base_url`},
		{17, 1, "source[1].queries", `full-text search on Mastodon needs a user token`},
		{19, 3, "source[2]", `bluesky sources need identifier`},
		{27, 18, "source[3].kinds[1]", `unknown value "webtoon"`},
		{28, 1, "source[3].daily_budget", `daily_budget 30000 must be from 1 to 25000 calls`},
		{33, 1, "source[4].every", `interval 1m is under the floor of 10m for youtube`},
		{35, 3, "source[5]", `x sources need daily_budget`},
		{39, 3, "source[6]", `web sources need item_selector`},
		{41, 15, "source[6].start_urls[0]", `want an absolute http:// or https:// URL`},
		{42, 1, "source[6].follow_pattern", `invalid regular expression`},
		{43, 1, "source[6].delay", `delay 100ms is under the polite floor of 500ms`},
	},
	"sentiment.bad.toml": {
		{7, 1, "sentiment.override[0].score", "score 9 must be from -4 to 4"},
		{9, 13, "sentiment.override[1]", "an override needs term"},
		{14, 1, "sentiment.override[2].score", "expected a number"},
		{15, 11, "sentiment.override[2].brands[0]", `unknown brand "Umbrella"`},
	},
	"digest.bad.toml": {
		{5, 2, "digest", "digest needs from: the sender address, when smtp_host is set"},
		{6, 15, "digest.schedule", `invalid schedule "0 25 * * MON": hour field "25": end of range (25) above maximum (23)`},
		{7, 35, "digest.recipients[1]", `invalid address "not an address"`},
		{7, 53, "digest.recipients[2]", `recipient "KIM@acme.example" is listed twice (first at line 7)`},
		{8, 1, "digest.subject", "invalid subject template: unknown field .Wek: want one of .Week, .From"},
		{10, 1, "digest.smtp_port", "smtp_port 70000 must be from 1 to 65535"},
		{12, 1, "digest.password_env", "missing secret: environment variable EARSHOT_UNSET_SMTP named by password_env is not set"},
		{13, 1, "digest.tls", `tls = "none" is allowed only for a relay on this machine`},
		{14, 1, "digest.base_url", `invalid URL "acme.example/earshot"`},
		{16, 10, "digest.recipient[0]", "a recipient needs email"},
		{18, 11, "digest.recipient[0].brands[0]", `unknown brand "Umbrella"`},
		{22, 13, "digest.recipient[1].networks[0]", `unknown network "myspace"`},
	},
	"goals.bad.toml": {
		{6, 1, "goal[0].metric", `unknown metric "reach": want one of sov, net_sentiment`},
		{11, 1, "goal[1].brand", `unknown brand "Umbrella"`},
		{13, 1, "goal[1].network", `unknown network "friendster": want "all" or one of`},
		{14, 1, "goal[1].target", "target 140 for sov must be from 0 to 100"},
		{19, 1, "goal[2].target", `response_time takes target_time, a duration such as "2h", not target`},
		{20, 1, "goal[2].deadline", `invalid value "31/12/2026": want a date like "2026-12-31"`},
		{25, 1, "goal[3].start", "start 2027-01-01 must be before the deadline 2026-12-31"},
		{28, 3, "goal[4]", "a link_mentions goal needs target, a number"},
		{28, 3, "goal[4]", "a goal needs deadline"},
	},
	"syntax.bad.toml": {
		{1, 9, "", "toml: expected ']' to close table name"},
	},
	"duplicate-key.bad.toml": {
		{3, 1, "name", "already defined"},
	},
	"many.bad.toml": {
		{3, 1, "earshot.log_level", `invalid log level "verbose"`},
		{4, 1, "earshot.timezone", `unknown time zone "Mars/Olympus"`},
		{9, 3, "brand[1]", `missing required key "name"`},
		{14, 15, "topic[0].query", "invalid query: AND needs a right-hand operand (query column 6)"},
		{18, 1, "source[0].every", "interval 30s is under the floor of 1m"},
		{19, 9, "source[0].tags[0]", `unknown value "job"`},
		{21, 3, "source[1].urls", "needs at least one feed URL"},
	},
}

func TestBadFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testdata, "*.bad.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no bad files: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			wants, ok := badCases[name]
			if !ok {
				t.Fatalf("no expected errors for %s: add them to badCases", name)
			}
			c, err := Load(f, testEnv)
			if err == nil {
				t.Fatalf("Load succeeded: %+v", c)
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error is %T, want Errors: %v", err, err)
			}
			checkErrors(t, es, f, wants)
		})
	}
	for name := range badCases {
		if _, err := os.Stat(filepath.Join(testdata, name)); err != nil {
			t.Errorf("badCases names a missing file: %v", err)
		}
	}
}

// checkErrors requires es to be exactly wants, in order.
func checkErrors(t *testing.T, es Errors, file string, wants []want) {
	t.Helper()
	for i := 0; i < max(len(es), len(wants)); i++ {
		switch {
		case i >= len(wants):
			t.Errorf("unexpected error: %v", es[i])
		case i >= len(es):
			t.Errorf("missing error: %d:%d %s: %s", wants[i].line, wants[i].col, wants[i].key, wants[i].msg)
		default:
			e, w := es[i], wants[i]
			if e.File != file || e.Line != w.line || (w.col != 0 && e.Col != w.col) || e.Key != w.key || !strings.Contains(e.Msg, w.msg) {
				t.Errorf("error %d:\n got  %v\n want %s:%d:%d: %s: …%s…", i, e, file, w.line, w.col, w.key, w.msg)
			}
		}
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "earshot.toml", Line: 12, Col: 3, Key: "source[1].every", Msg: "interval 10s is under the floor of 1m for hackernews"},
			"earshot.toml:12:3: source[1].every: interval 10s is under the floor of 1m for hackernews"},
		{Error{File: "earshot.toml", Line: 4, Msg: "bad"}, "earshot.toml:4: bad"},
		{Error{File: "earshot.toml", Key: "brand", Msg: "no brand"}, "earshot.toml: brand: no brand"},
		{Error{Msg: "bare"}, "bare"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	es := Errors{&tests[0].e, &tests[1].e}
	if got := strings.Count(es.Error(), "\n"); got != 1 {
		t.Errorf("Errors prints %d newlines for 2 errors, want 1: %q", got, es.Error())
	}
	var one *Error
	if !errors.As(error(es), &one) || one != &tests[0].e {
		t.Errorf("errors.As(Errors, *Error) = %v", one)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.toml"), nil)
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v, want one wrapping os.ErrNotExist", err)
	}
}

func TestLoadTooLarge(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.toml")
	data := []byte("# " + strings.Repeat("x", maxFileSize) + "\n")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(p, nil)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err = %v, want a size error", err)
	}
}
