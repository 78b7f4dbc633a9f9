package config

import (
	"reflect"
	"strings"
	"testing"
)

// A Daum source searches every kind by default, refuses Naver's kinds, has
// the table's budget in calls per Korean day, and its quota warning counts
// each kind.
func TestDaumSource(t *testing.T) {
	const daum = "network = \"daum\"\napi_key_env = \"YT_KEY\"\n"
	c, err := parseSource(daum)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Sources[0]
	if !reflect.DeepEqual(s.Kinds, []string{"blog", "cafe", "web", "vclip"}) || s.DailyBudget != 30000 || s.Secrets["api_key"] == "" || s.Every.Std().Minutes() != 15 {
		t.Errorf("daum source = %+v", s)
	}
	if _, err := parseSource(daum + "kinds = [\"cafe\", \"news\"]\n"); err == nil || !strings.Contains(err.Error(), `unknown value "news": want some of blog, cafe, web, vclip`) {
		t.Errorf("naver kind accepted: %v", err)
	}
	if _, err := parseSource("network = \"daum\"\n"); err == nil || !strings.Contains(err.Error(), "daum sources need api_key_env") {
		t.Errorf("no key: %v", err)
	}
	// 720 polls (every 2m) × 1 query × 2 kinds = 1,440 calls against 1,000.
	c, err = parseSource(daum + "every = \"2m\"\nqueries = [\"아크미\"]\nkinds = [\"cafe\", \"blog\"]\ndaily_budget = 1000\n")
	if err != nil {
		t.Fatal(err)
	}
	w := c.QuotaWarnings()
	if len(w) != 1 || w[0].Need != 1440 || w[0].Kinds != 2 || w[0].Unit != "calls" {
		t.Errorf("quota warnings = %+v", w)
	}
}
