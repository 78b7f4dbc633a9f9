package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const ownBrand = "[[brand]]\nname = \"Acme\"\nown = true\n"

// parseErrs parses doc and returns its errors, failing if it parsed.
func parseErrs(t *testing.T, doc string, getenv func(string) string) Errors {
	t.Helper()
	c, err := Parse([]byte(doc), "t.toml", getenv)
	if err == nil {
		t.Fatalf("parsed: %+v", c)
	}
	var es Errors
	if !errors.As(err, &es) || len(es) == 0 {
		t.Fatalf("error %T %v, want non-empty Errors", err, err)
	}
	return es
}

func TestSectionShapes(t *testing.T) {
	tests := []struct {
		doc  string
		want []want
	}{
		{"[[earshot]]\nlisten = \"x\"\n" + ownBrand, []want{{1, 3, "earshot", "expected a table, got an array"}}},
		{ownBrand + "[source]\nnetwork = \"rss\"\n", []want{{4, 2, "source", "expected an array of tables ([[source]]), got a table"}}},
		{"brand = \"Acme\"\n", []want{{1, 1, "brand", "expected an array of tables"}}},
		{ownBrand + "handles = [\"x\"]\n", []want{{4, 1, "brand[0].handles", "expected a table, got an array"}}},
		{ownBrand + "handles.x = \"acme\"\n", []want{{4, 9, "brand[0].handles.x", "expected an array"}}},
		{ownBrand + "[[topic]]\nname = 1\nquery = 'a'\n", []want{{5, 1, "topic[0].name", "expected a string, got integer 1"}}},
		{ownBrand + "[[source]]\nnetwork = true\n", []want{{5, 1, "source[0].network", "expected a string, got boolean true"}}},
		{ownBrand + "when = 2024-01-02\n", []want{{4, 1, "brand[0].when", `unknown key "when"`}}},
		{"", []want{{0, 0, "brand", "no brand configured"}}},
	}
	for _, tt := range tests {
		es := parseErrs(t, tt.doc, noEnv)
		checkErrors(t, es, "t.toml", tt.want)
	}
}

func TestListenAddresses(t *testing.T) {
	tests := []struct {
		addr     string
		loopback bool
		bad      bool
	}{
		{"127.0.0.1:8089", true, false},
		{"127.0.0.2:80", true, false},
		{"[::1]:8089", true, false},
		{"localhost:8089", true, false},
		{"LOCALHOST:1", true, false},
		{"0.0.0.0:8089", false, false},
		{"[::]:8089", false, false},
		{":8089", false, false},
		{"192.168.1.5:443", false, false},
		{"earshot.internal:8089", false, false},
		{"localhost", false, true},
		{"127.0.0.1:0", true, false}, // port 0: any free port
		{"127.0.0.1:-1", false, true},
		{"127.0.0.1:65536", false, true},
		{"127.0.0.1:http", false, true},
		{"bad host:80", false, true},
		{"", false, true},
	}
	for _, tt := range tests {
		loop, err := checkListen(tt.addr)
		if (err != nil) != tt.bad || loop != tt.loopback {
			t.Errorf("checkListen(%q) = %v, %v; want loopback %v, bad %v", tt.addr, loop, err, tt.loopback, tt.bad)
		}
	}
}

func TestAPIToken(t *testing.T) {
	doc := "[earshot]\nlisten = \"[::]:8089\"\napi_token_env = \"MY_TOKEN\"\n" + ownBrand
	c, err := Parse([]byte(doc), "t.toml", func(k string) string {
		if k == "MY_TOKEN" {
			return strongTestToken + "\n"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Earshot.APIToken != strongTestToken {
		t.Errorf("APIToken = %q", c.Earshot.APIToken)
	}

	// A nil getenv reads the process environment.
	t.Setenv("EARSHOT_CONFIG_TEST_TOKEN", strongTestToken+"e")
	doc = "[earshot]\napi_token_env = \"EARSHOT_CONFIG_TEST_TOKEN\"\n" + ownBrand
	if c, err = Parse([]byte(doc), "t.toml", nil); err != nil || c.Earshot.APIToken != strongTestToken+"e" {
		t.Errorf("nil getenv: token %q, err %v", c.Earshot.APIToken, err)
	}

	es := parseErrs(t, "[earshot]\napi_token_env = \"1BAD-NAME\"\n"+ownBrand, noEnv)
	checkErrors(t, es, "t.toml", []want{{2, 1, "earshot.api_token_env", "invalid environment variable name"}})
	// The token is never echoed in errors.
	es = parseErrs(t, "[earshot]\nlisten = \"bad\"\napi_token_env = \"MY_TOKEN\"\n"+ownBrand, func(string) string { return "s3cr3t" })
	if strings.Contains(es.Error(), "s3cr3t") {
		t.Errorf("error leaks the token: %v", es)
	}
}

func TestSecretKeys(t *testing.T) {
	secret := []string{"api_token", "token", "client_secret", "client-secret", "password", "smtp_password",
		"API_KEY", "apikey", "access_key", "bearer_token", "credentials"}
	plain := []string{"api_token_env", "password_env", "tokens", "keyword", "monkey", "tags", "listen", "name"}
	for _, k := range secret {
		if !isSecretKey(k) {
			t.Errorf("isSecretKey(%q) = false", k)
		}
	}
	for _, k := range plain {
		if isSecretKey(k) {
			t.Errorf("isSecretKey(%q) = true", k)
		}
	}
}

func TestUnknownKeySuggestion(t *testing.T) {
	known := []string{"network", "name", "every", "timeout", "base_url", "queries", "tags", "urls"}
	tests := map[string]string{
		"netwrok": "network", "url": "urls", "Every": "every", "baseurl": "base_url",
		"zzzzzz": "", strings.Repeat("x", 10000): "",
	}
	for k, want := range tests {
		if got := closest(k, known); got != want {
			t.Errorf("closest(%.20q) = %q, want %q", k, got, want)
		}
	}
}

func TestURLsAndDomains(t *testing.T) {
	goodURLs := []string{"https://hn.algolia.com", "http://127.0.0.1:8080/x?y=1", "https://news.google.com/rss/search?q=삼성&hl=ko",
		"HTTPS://EXAMPLE.ORG/feed", "https://[::1]:9000/"}
	badURLs := []string{"", "hn.algolia.com", "ftp://x.org", "https://", "https://u:p@x.org", "https://x.org:99999/",
		"https://x.org/\nfeed", "javascript:alert(1)", "http://%zz"}
	for _, u := range goodURLs {
		if err := checkURL(u); err != nil {
			t.Errorf("checkURL(%q) = %v", u, err)
		}
	}
	for _, u := range badURLs {
		if err := checkURL(u); err == nil {
			t.Errorf("checkURL(%q) accepted", u)
		}
	}
	goodDomains := []string{"acme.com", "www.acme.co.kr", "아크미.kr", "xn--9n2bp8q.kr", "Acme.COM."}
	badDomains := []string{"acme", "https://acme.com", "acme.com/x", "acme.com:443", "ac me.com", "", "a..com", "-acme.com"}
	for _, d := range goodDomains {
		if err := checkDomain(d); err != nil {
			t.Errorf("checkDomain(%q) = %v", d, err)
		}
	}
	for _, d := range badDomains {
		if err := checkDomain(d); err == nil {
			t.Errorf("checkDomain(%q) accepted", d)
		}
	}
}

func TestFold(t *testing.T) {
	same := [][2]string{{"ACME", "acme"}, {"ＡＣＭＥ", "Acme"}, {" Straße ", "STRASSE"}, {"아크미", "아크미"}}
	for _, p := range same {
		if fold(p[0]) != fold(p[1]) {
			t.Errorf("fold(%q) != fold(%q)", p[0], p[1])
		}
	}
	// Jamo spelled out (NFD) equal the composed syllables (NFC).
	if fold("\u1100\u1161") != fold("가") {
		t.Error("decomposed Hangul does not fold to the composed syllable")
	}
	if fold("삼성") == fold("삼성동") {
		t.Error("distinct words fold equal")
	}
}

func TestContact(t *testing.T) {
	for _, s := range []string{"https://acme.example/contact", "ops@acme.example", "mailto:ops@acme.example", "ops@아크미.kr"} {
		if err := checkContact(s); err != nil {
			t.Errorf("checkContact(%q) = %v", s, err)
		}
	}
	for _, s := range []string{"ops", "ops@", "a@b c", "https://x.org\r\nX-Evil: 1", "ftp://x.org"} {
		if err := checkContact(s); err == nil {
			t.Errorf("checkContact(%q) accepted", s)
		}
	}
}

func TestFmtDuration(t *testing.T) {
	tests := map[string]string{"1m0s": "1m", "1h0m0s": "1h", "1h30m0s": "1h30m", "10s": "10s", "1m30s": "1m30s", "0s": "0s"}
	for in, want := range tests {
		var v Duration
		if err := v.UnmarshalText([]byte(in)); err != nil {
			t.Fatal(err)
		}
		if got := fmtDuration(v.Std()); got != want {
			t.Errorf("fmtDuration(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestErrorCap(t *testing.T) {
	doc := ownBrand + strings.Repeat("[[source]]\nnetwork = \"gopher\"\n", maxErrors+20)
	es := parseErrs(t, doc, noEnv)
	if len(es) != maxErrors+1 {
		t.Fatalf("%d errors, want %d and a summary", len(es), maxErrors+1)
	}
	if last := es[len(es)-1]; last.Msg != "and 20 more errors" || last.Line != 0 {
		t.Errorf("summary = %+v", last)
	}
	if es[0].Line != 5 || es[1].Line != 7 {
		t.Errorf("errors not in document order: %v, %v", es[0], es[1])
	}
}

func TestDurationDays(t *testing.T) {
	cases := map[string]time.Duration{"14d": 14 * 24 * time.Hour, "1d12h": 36 * time.Hour, "90m": 90 * time.Minute, "400d": 400 * 24 * time.Hour}
	for in, want := range cases {
		var d Duration
		if err := d.UnmarshalText([]byte(in)); err != nil || d.Std() != want {
			t.Errorf("%s = %v, %v; want %v", in, d.Std(), err, want)
		}
	}
	for _, bad := range []string{"d", "xd", "-1d", "1d-", "99999999d"} {
		var d Duration
		if err := d.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
