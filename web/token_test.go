package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/web/metrics"
)

// tokenEqual is the whole comparison: every byte, case-sensitive, any
// length on either side.
func TestTokenEqualComparesEveryByteExactly(t *testing.T) {
	want := testToken
	for _, got := range []string{
		want + "x", want + " ", want + want, // longer: a compare over len(want) only lets these in
		strings.ToUpper(want), "S" + want[1:], want[:len(want)-1] + "N", // case and last byte
		want[:len(want)-1], want[1:], "", "x",
	} {
		if tokenEqual(got, want) {
			t.Errorf("tokenEqual(%q, %q) = true", got, want)
		}
		if tokenEqual(want, got) {
			t.Errorf("tokenEqual(%q, %q) = true", want, got)
		}
	}
	for _, s := range []string{want, "", "a", "ÄÖ", strings.Repeat("z", 1000)} {
		if !tokenEqual(s, s) {
			t.Errorf("tokenEqual(%q, itself) = false", s)
		}
	}
}

// The same holds end to end: the bearer header and the login form.
func TestTokenLongerOrOtherCaseRefused(t *testing.T) {
	s := newFixtureServer(t, openFixtureStore(t), testToken, metrics.New())
	for _, bad := range []string{testToken + "x", strings.ToUpper(testToken)} {
		if rec, _ := get(t, s, "/api/stats", "Authorization", "Bearer "+bad); rec.Code != http.StatusUnauthorized {
			t.Errorf("bearer %q: %d, want 401", bad, rec.Code)
		}
		rec := postLogin(t, s, url.Values{"token": {bad}}, "")
		for _, c := range rec.Result().Cookies() {
			if c.Name == sessionCookie && c.Value != "" {
				t.Errorf("login with %q set a session cookie", bad)
			}
		}
	}
	if rec, _ := get(t, s, "/api/stats", "Authorization", "Bearer "+testToken); rec.Code != http.StatusOK {
		t.Errorf("the token itself: %d", rec.Code)
	}
}

// A session is valid strictly before its expiry second, not at it.
func TestSessionInvalidAtItsExpiry(t *testing.T) {
	exp := time.Unix(1_800_000_000, 0)
	v := newSession(testToken, exp)
	if !validSession(v, testToken, exp.Add(-time.Second)) {
		t.Error("session refused one second before expiry")
	}
	if validSession(v, testToken, exp) {
		t.Error("session accepted at its expiry time")
	}
}
