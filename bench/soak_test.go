package bench

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/bench/gen"
	"github.com/earshot/earshot/store"
)

// TestSoakSmoke runs the whole soak at N = 2,000: every mention goes through
// the pipeline into the store, the clients' searches succeed, and every
// figure of the summary is printed. No timing is asserted.
func TestSoakSmoke(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	o := SoakOptions{N: 2000, Clients: 2, Batch: 100, Sources: 2, Sample: 500, Every: 200 * time.Millisecond,
		Dir: dir, Keep: true, Seed: 1, IdleQueries: 2, Reports: 1, Out: &out, Logger: zerolog.Nop()}
	if err := Soak(context.Background(), o); err != nil {
		t.Fatalf("soak: %v\n%s", err, out.String())
	}
	s := out.String()
	m := regexp.MustCompile(`posts fetched (\d+), mentions stored (\d+)`).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no totals in:\n%s", s)
	}
	posts, _ := strconv.Atoi(m[1])
	stored, _ := strconv.Atoi(m[2])
	// Every generated post names a brand in its text or is a brand's own
	// post, so the matcher keeps all of them.
	if posts != 2000 || stored != 2000 {
		t.Errorf("fetched %d posts and stored %d mentions, want 2000 and 2000\n%s", posts, stored, s)
	}
	for _, want := range []string{"sustained ingest", "ingest/bare", "max RSS", "keyword, 7 days   while ingesting",
		"faceted, 30 days  while ingesting", "startup to serving", "reindex of 2000", "on disk: bbolt", "weekly report (report.Build)",
		"figures against issue 20's targets (2000 mentions stored)"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	if regexp.MustCompile(`while ingesting\s+0 requests`).MatchString(s) {
		t.Errorf("no keyword search completed:\n%s", s)
	}

	// -keep left a store that holds the stream, indexed, with the matched
	// brands and sentiment the pipeline added.
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	stats := st.Stats()
	if stats.Mentions != 2000 || stats.IndexLag != 0 {
		t.Errorf("store holds %d mentions with index lag %d", stats.Mentions, stats.IndexLag)
	}
	g := gen.New((&soakRun{seed: 1}).genOptions(2000))
	want, _ := g.Next()
	got, ok, err := st.Get(want.ID)
	if err != nil || !ok {
		t.Fatalf("first generated mention %s not stored: %v", want.ID, err)
	}
	if got.Text != want.Text || len(got.Brands) == 0 || got.Brands[0] != want.Brands[0] || got.SentimentLabel == "" || got.Lang == "" {
		t.Errorf("stored %+v\nfrom generated %+v", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "bare.bleve")); !os.IsNotExist(err) {
		t.Errorf("bare baseline index left behind: %v", err)
	}
}

func TestSoakOptionsChecked(t *testing.T) {
	good := SoakOptions{N: 100, Clients: 0, Batch: 1, Sources: 1, Every: 100 * time.Millisecond, Out: io.Discard, Logger: zerolog.Nop()}
	if err := good.Check(); err != nil {
		t.Fatalf("the smallest soak: %v", err)
	}
	for _, bad := range []func(o *SoakOptions){
		func(o *SoakOptions) { o.N = 10 }, func(o *SoakOptions) { o.Clients = -1 }, func(o *SoakOptions) { o.Batch = 0 },
		func(o *SoakOptions) { o.Sources = 99 }, func(o *SoakOptions) { o.Every = time.Millisecond },
	} {
		o := good
		bad(&o)
		if err := Soak(context.Background(), o); err == nil || !strings.Contains(err.Error(), "-n 100..") {
			t.Errorf("soak %+v: %v, want the bounds", o, err)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	o := good
	o.Dir = dir
	if err := Soak(context.Background(), o); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("soak into a non-empty dir: %v", err)
	}
	o.Reuse = true // without -bulk
	if err := Soak(context.Background(), o); err == nil || !strings.Contains(err.Error(), "-reuse needs -bulk and -dir") {
		t.Errorf("soak -reuse without -bulk: %v", err)
	}
}

func TestBareIndexRate(t *testing.T) {
	g := gen.New(gen.Options{Seed: 3, Mentions: 300})
	var ms []store.Mention
	for m, ok := g.Next(); ok; m, ok = g.Next() {
		ms = append(ms, m)
	}
	rate, err := BareIndexRate(context.Background(), t.TempDir(), slice(ms), 100)
	if err != nil || rate <= 0 {
		t.Fatalf("rate %v, err %v", rate, err)
	}
	if _, err := BareIndexRate(context.Background(), t.TempDir(), slice(nil), 100); err == nil {
		t.Error("no mentions: want an error")
	}
	if _, err := BareIndexRate(context.Background(), t.TempDir(), slice(ms), 0); err == nil {
		t.Error("batch 0: want an error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := BareIndexRate(ctx, t.TempDir(), slice(ms), 100); err == nil {
		t.Error("cancelled: want an error")
	}
}

// slice yields ms one by one.
func slice(ms []store.Mention) func() (store.Mention, bool) {
	return func() (store.Mention, bool) {
		if len(ms) == 0 {
			return store.Mention{}, false
		}
		m := ms[0]
		ms = ms[1:]
		return m, true
	}
}
