package config

import (
	"strings"
	"testing"
	"time"
)

// YouTube every 30 minutes with 7 queries: 48 × 7 × 100 = 33,600 quota
// units a day against the default 10,000; 103 minutes is the shortest
// interval that fits (14 polls × 700 = 9,800). Naver multiplies by kinds.
// Sources that fit (yt-ok: 12 × 700 = 8,400), and X (billed by posts returned), give no warning.
func TestQuotaWarnings(t *testing.T) {
	doc := `
[[brand]]
name = "Acme"
own = true
terms = ["acme", "아크미"]

[[source]]
network = "youtube"
name = "yt"
every = "30m"
api_key_env = "YT"
queries = ["a", "b", "c", "d", "e", "f", "g"]

[[source]]
network = "youtube"
name = "yt-ok"
every = "2h"
api_key_env = "YT"
queries = ["a", "b", "c", "d", "e", "f", "g"]

[[source]]
network = "naver"
name = "nv"
every = "2m"
client_id_env = "NID"
client_secret_env = "NSEC"
kinds = ["blog", "news", "cafearticle"]
queries = ["a", "b", "c"]
daily_budget = 5000

[[source]]
network = "x"
every = "5m"
bearer_token_env = "XT"
daily_budget = 500
`
	cfg, err := Parse([]byte(doc), "quota.toml", func(string) string { return "set" })
	if err != nil {
		t.Fatal(err)
	}
	ws := cfg.QuotaWarnings()
	if len(ws) != 2 {
		t.Fatalf("warnings %v", ws)
	}
	yt, nv := ws[0], ws[1]
	if yt.Source != "yt" || yt.Polls != 48 || yt.Queries != 7 || yt.Need != 33600 || yt.Limit != 10000 || yt.EveryToFit != 103*time.Minute {
		t.Errorf("youtube %+v", yt)
	}
	if !strings.Contains(yt.String(), "33600 quota units a day") {
		t.Errorf("message %q", yt)
	}
	// naver every 2m: 720 polls × 3 queries × 3 kinds × 1 call = 6,480 > 5,000;
	// at most 555 polls fit: every 2m36s, in whole minutes 3m (480 polls, 4,320)
	if nv.Source != "nv" || nv.Polls != 720 || nv.Kinds != 3 || nv.Need != 6480 || nv.EveryToFit != 3*time.Minute {
		t.Errorf("naver %+v", nv)
	}
}
