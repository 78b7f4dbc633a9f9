package config

import (
	"strings"
	"testing"
)

// strongTestToken is 32 random bytes in base64, as TokenAdvice makes them.
const strongTestToken = "q3Zr9Xk2LmP0vB7sT4wY1nH6cJ8dF5gA2eR9uK0iO3M="

func TestCheckToken(t *testing.T) {
	for _, ok := range []string{
		strongTestToken,
		"q3Zr9Xk2LmP0vB7sT4wY1nH6cJ8dF5gA2eR9uK0iO3M",                      // 43 base64 characters, no padding
		"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", // 64 hex digits
		"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
		"Kx-7_pQ2zR9mN4vB8cX1wL6tY3sD0fG5hJ2kA7eU9i-", // base64url
	} {
		if err := CheckToken(ok); err != nil {
			t.Errorf("CheckToken(%q): %v", ok, err)
		}
	}
	for _, weak := range []string{
		"", "x", "s3cret", "tok-123", "correct horse battery staple",
		"q3Zr9Xk2LmP0vB7sT4wY1nH6cJ8dF5gA2eR9uK0iO",                       // 41 base64 characters: 246 bits
		"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0", // 63 hex digits
		strings.Repeat("1234567890", 10),                                  // digits only: 100 of them are 332 bits, but a run
		strings.Repeat("a", 100),
		strings.Repeat("Ab1+", 20),                             // a repeated pattern
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", // a run of neighbours
		strings.Repeat("ab", 30) + "XYZ",                       // few distinct characters
	} {
		err := CheckToken(weak)
		if err == nil {
			t.Errorf("CheckToken(%q) accepted a weak token", weak)
			continue
		}
		if !strings.Contains(err.Error(), "openssl rand -base64 32") || !strings.Contains(err.Error(), "head -c 32 /dev/urandom | base64") {
			t.Errorf("CheckToken(%q) does not say how to make one: %v", weak, err)
		}
		if weak != "" && len(weak) > 3 && strings.Contains(err.Error(), weak) {
			t.Errorf("CheckToken echoes the token: %v", err)
		}
	}
}

// A weak token is refused by Parse (so by `earshot check` and at start),
// at the api_token_env line, without echoing it.
func TestWeakTokenRefusedAtLoad(t *testing.T) {
	doc := "[earshot]\nlisten = \"[::]:8089\"\napi_token_env = \"MY_TOKEN\"\n" + ownBrand
	es := parseErrs(t, doc, func(k string) string { return map[string]string{"MY_TOKEN": "hunter2"}[k] })
	checkErrors(t, es, "t.toml", []want{{3, 1, "earshot.api_token_env", "environment variable MY_TOKEN: the API token is too weak"}})
	if strings.Contains(es.Error(), "hunter2") || !strings.Contains(es.Error(), "openssl rand -base64 32") {
		t.Errorf("error: %v", es)
	}
}

func TestAllowedHostsAndTrustedProxies(t *testing.T) {
	doc := "[earshot]\nallowed_hosts = [\"earshot.example.com\", \"10.0.0.5:8089\", \"[::1]:8089\", \"bad host\", \"x:99999\"]\n" +
		"trusted_proxies = [\"10.0.0.0/8\", \"127.0.0.1\", \"::1\", \"10.0.0.0/33\", \"proxy.lan\"]\n" + ownBrand
	es := parseErrs(t, doc, noEnv)
	checkErrors(t, es, "t.toml", []want{
		{2, 72, "earshot.allowed_hosts[3]", "invalid host"},
		{2, 84, "earshot.allowed_hosts[4]", "invalid host"},
		{3, 54, "earshot.trusted_proxies[3]", "invalid proxy address"},
		{3, 69, "earshot.trusted_proxies[4]", "invalid proxy address"},
	})
	good := "[earshot]\nallowed_hosts = [\"earshot.example.com\", \"10.0.0.5:8089\"]\ntrusted_proxies = [\"10.0.0.0/8\", \"::1\"]\n" +
		"[digest]\nbase_url = \"https://news.example.org/earshot\"\n" + ownBrand
	c, err := Parse([]byte(good), "t.toml", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.HTTPHosts(), ","); got != "earshot.example.com,10.0.0.5:8089,news.example.org" {
		t.Errorf("HTTPHosts = %s", got)
	}
	if ps := c.Earshot.ProxyPrefixes(); len(ps) != 2 || ps[0].String() != "10.0.0.0/8" || ps[1].String() != "::1/128" {
		t.Errorf("ProxyPrefixes = %v", ps)
	}
}
