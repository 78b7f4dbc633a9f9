package bench

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
)

// TestLoadtestMachinery generates a small corpus, checks the planted term
// rates, and drives the API briefly: no errors, latencies recorded. No
// timing is asserted (the figures are for `earshot-bench loadtest` to print).
func TestLoadtestMachinery(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 42))
	end := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	const n = 20000
	count := map[string]int{}
	for i := range n {
		m := genMention(r, i, end)
		for _, tm := range loadTerms {
			if strings.Contains(m.Text, tm.word) {
				count[tm.word]++
			}
		}
		if m.Published.After(end) || m.Published.Before(end.AddDate(0, 0, -91)) || len(m.Brands) != 1 {
			t.Fatalf("mention %d out of shape: %+v", i, m)
		}
	}
	for _, tm := range loadTerms {
		want := tm.rate * n
		if got := float64(count[tm.word]); got < want*0.7 || got > want*1.3 {
			t.Errorf("%s planted %v times, want about %v", tm.word, got, want)
		}
	}

	st, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out bytes.Buffer
	if err := generate(context.Background(), st, 2000, &out); err != nil {
		t.Fatal(err)
	}
	if got := st.Stats().Mentions; got != 2000 {
		t.Fatalf("generated %d mentions", got)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	api := web.New(web.Options{Searcher: st, Logger: zerolog.Nop(), Brands: loadBrands, Networks: loadNetworks})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- api.Serve(ctx, ln) }()
	defer func() { cancel(); <-served }()
	res, err := drive(context.Background(), "http://"+ln.Addr().String()+"/api/search?q=battery&facets=brand,network,day", 2, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if res.errors != 0 || len(res.lat) == 0 || res.matches == 0 || res.matches > 200 {
		t.Errorf("drive: %d errors, %d requests, %d matches", res.errors, len(res.lat), res.matches)
	}
	// The compound search finds the planted compounds, and only them.
	cres, err := drive(context.Background(), "http://"+ln.Addr().String()+"/api/search?q="+url.QueryEscape("*배터리")+"&facets=none", 1, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	planted := 0
	r2 := rand.New(rand.NewPCG(7, 42))
	for i := range 2000 {
		if strings.Contains(genMention(r2, i, end).Text, "보조배터리") {
			planted++
		}
	}
	if cres.errors != 0 || planted == 0 || cres.matches != uint64(planted) {
		t.Errorf("*배터리: %d matches, %d planted, %d errors", cres.matches, planted, cres.errors)
	}
	out.Reset()
	if failed := res.print(&out, "x", time.Hour); failed || !strings.Contains(out.String(), "ok") {
		t.Errorf("print: %q failed=%v", out.String(), failed)
	}
	if _, err := drive(context.Background(), "http://"+ln.Addr().String()+"/api/search?q=(", 1, 10*time.Millisecond); err == nil {
		t.Error("a failing warm-up request was not reported")
	}
}
