package daemon_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/earshot/earshot/query"
	"github.com/earshot/earshot/store"
)

// Why no test knob: source intervals have floors (1 m for Hacker News), so
// the daemon polls each source once right after start and then waits. The
// test therefore makes every start heavy: many sources, each on its own fake
// server (the polite per-host gap applies per host:port), each finding a
// fresh burst of posts, and kills the daemon during that first round (while
// fetching, committing or indexing) or during startup's index replay. Each
// restart is a new first round, so no production code needs a test-only
// switch.
const (
	crashSources = 16
	crashKills   = 24
)

// fetchedRe picks the source and added count out of a "listener: fetched"
// log line (zerolog console format).
var (
	fetchedRe = regexp.MustCompile(`listener: fetched .*\badded=(\d+)\b.*\bsource=(\S+)`)
)

// lifeAcks returns, per source, the mentions the daemon acknowledged as
// added in this life (the log line is written after Commit returned).
func lifeAcks(t *testing.T, lines []string) map[string]int {
	t.Helper()
	acks := map[string]int{}
	for _, l := range lines {
		if m := fetchedRe.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			if _, dup := acks[m[2]]; dup {
				t.Fatalf("source %s fetched twice in one life: %s", m[2], l)
			}
			acks[m[2]] = n
		}
	}
	return acks
}

// rounds is the number of finished fetches (successful or not) in a log.
func rounds(lines []string) int {
	return count(lines, "listener: fetched") + count(lines, "listener: fetch failed")
}

// checkAgainstStreams checks a stopped daemon's store against the fakes:
// exactly the matching items behind each source's cursor are stored (none
// skipped, none beyond), each once, and shared items under a source that
// had served them.
func checkAgainstStreams(st *dbState, streams []*hnStream) error {
	want := map[string][]string{} // mention ID → sources that have it behind their cursor
	for i, s := range streams {
		name := hnSourceName(i)
		cov, err := covered(s, st.cursors[name])
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		served := s.servedUpTo()
		for k := 1; k <= served+hnPerSecond; k++ {
			if !cov(k) {
				continue
			}
			if k > served {
				return fmt.Errorf("%s: cursor %s covers item %d, never served (served up to %d)", name, st.cursors[name], k, served)
			}
			if hnMatches(k) {
				id := "hackernews:" + s.objectID(k)
				want[id] = append(want[id], name)
			}
		}
	}
	for id, srcs := range want {
		m, ok := st.ids[id]
		if !ok {
			return fmt.Errorf("%s is behind the cursor of %v but not stored (skipped or lost)", id, srcs)
		}
		if !slices.Contains(srcs, m.Source) {
			return fmt.Errorf("%s stored by source %s, which never passed it (passed by %v)", id, m.Source, srcs)
		}
		if !strings.Contains(m.Text, "quokka") {
			return fmt.Errorf("%s: stored text %q lost its content", id, m.Text)
		}
	}
	for id := range st.ids {
		if _, ok := want[id]; !ok {
			return fmt.Errorf("%s is stored but no source's cursor covers it (stored without its cursor)", id)
		}
	}
	return nil
}

// checkLife compares the store after a life with the store before it.
func checkLife(prev, cur *dbState, acks map[string]int) error {
	for id, m := range prev.ids {
		n, ok := cur.ids[id]
		if !ok {
			return fmt.Errorf("%s vanished", id)
		}
		if n.seq != m.seq || n.Source != m.Source {
			return fmt.Errorf("%s changed: seq %d→%d, source %s→%s", id, m.seq, n.seq, m.Source, n.Source)
		}
	}
	added := map[string]int{}
	for id, m := range cur.ids {
		if _, old := prev.ids[id]; !old {
			added[m.Source]++
		}
	}
	for src, n := range acks {
		if added[src] != n {
			return fmt.Errorf("source %s: daemon acknowledged %d new mentions, store gained %d", src, n, added[src])
		}
	}
	for src, c := range prev.cursors {
		if cur.cursors[src] == nil {
			return fmt.Errorf("cursor of %s vanished (was %s)", src, c)
		}
	}
	return nil
}

func TestDaemonCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns and kills daemon processes")
	}
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewSource(seed))
	base := time.Now().Add(-60 * time.Hour).Truncate(time.Second)
	streams := make([]*hnStream, crashSources)
	for i := range streams {
		streams[i] = newHNStream(i, seed+int64(i), base)
		defer streams[i].close()
	}
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	cfg := writeConfig(t, dir, dataDir, streams)
	earshotBinary(t) // build before timing anything

	prev := &dbState{ids: map[string]dbMention{}, cursors: map[string][]byte{}}
	var lagged, maxLag, rebuilds int
	var kills []crashKill
	start := time.Now()
	for life := 1; life <= crashKills; life++ {
		c := startChild(t, childOpts{}, "run", "-config", cfg)
		mode := rnd.Intn(100)
		var where string
		switch {
		case mode < 25: // anywhere from exec to the first commits: store open, index replay
			d := time.Duration(rnd.Intn(800)) * time.Millisecond
			time.Sleep(d)
			where = fmt.Sprintf("%s after start", d)
		case mode < 85: // between commits of the first round
			j := rnd.Intn(crashSources)
			if !c.waitFor(60*time.Second, func(l []string) bool { return rounds(l) >= j }) {
				t.Fatalf("life %d: %d fetches not done within 60 s (exit %d); log:\n%s", life, j, c.exitCode(), tail(c.log(), 40))
			}
			d := time.Duration(rnd.Intn(50)) * time.Millisecond
			time.Sleep(d)
			where = fmt.Sprintf("%s after fetch %d", d, j)
		default: // after the round, while the index catches up
			if !c.waitFor(60*time.Second, func(l []string) bool { return rounds(l) >= crashSources }) {
				t.Fatalf("life %d: first round not done within 60 s (exit %d); log:\n%s", life, c.exitCode(), tail(c.log(), 40))
			}
			d := time.Duration(rnd.Intn(300)) * time.Millisecond
			time.Sleep(d)
			where = fmt.Sprintf("%s after the round", d)
		}
		if c.exitCode() >= 0 {
			t.Fatalf("life %d: earshot exited %d before the kill; log:\n%s", life, c.exitCode(), tail(c.log(), 40))
		}
		c.kill()
		lines, _, _ := c.snapshot()
		log := strings.Join(lines, "\n")
		assertNoPanic(t, log)
		if n := count(lines, "listener: fetch failed"); n > 0 {
			t.Fatalf("life %d: %d fetches failed against a healthy fake:\n%s", life, n, tail(log, 40))
		}
		rebuilds += count(lines, "rebuilding from the database")
		cur, err := readDB(dataDir)
		if err != nil {
			t.Fatalf("life %d (killed %s): %v", life, where, err)
		}
		if err := checkLife(prev, cur, lifeAcks(t, lines)); err != nil {
			t.Fatalf("life %d (killed %s): %v", life, where, err)
		}
		if err := checkAgainstStreams(cur, streams); err != nil {
			t.Fatalf("life %d (killed %s): %v", life, where, err)
		}
		lag := int(cur.lastSeq - cur.watermark)
		if lag > 0 {
			lagged++
		}
		maxLag = max(maxLag, lag)
		kills = append(kills, newCrashKill(life, where, lifeAcks(t, lines), cur))
		t.Logf("life %2d killed %-26s: %6d mentions (+%5d), %2d/%d fetches done, index lag %d",
			life, where, len(cur.ids), len(cur.ids)-len(prev.ids), rounds(lines), crashSources, lag)
		prev = cur
	}
	killTime := time.Since(start)

	// A clean run on a stream that no longer grows must end with every
	// matching item ever served stored once, and the index equal to bbolt.
	for _, s := range streams {
		s.freeze()
	}
	c := startChild(t, childOpts{}, "run", "-config", cfg)
	api := c.waitAPI(60 * time.Second)
	if !c.waitFor(60*time.Second, func(l []string) bool { return rounds(l) >= crashSources }) {
		t.Fatalf("final run: first round not done within 60 s; log:\n%s", tail(c.log(), 40))
	}
	var want int
	for _, s := range streams {
		if s.servedUpTo() == 0 {
			t.Fatalf("a stream served nothing")
		}
	}
	final := waitSearchTotal(t, c, api, "quokka", func(total int) bool {
		st := countExpected(streams)
		want = st
		return total == st
	}, 60*time.Second)
	c.stop(60 * time.Second)
	assertNoPanic(t, c.log())
	st, err := readDB(dataDir)
	if err != nil {
		t.Fatalf("after the clean run: %v", err)
	}
	if err := checkLife(prev, st, lifeAcks(t, c.snapshotLines())); err != nil {
		t.Fatalf("clean run: %v", err)
	}
	if err := checkAgainstStreams(st, streams); err != nil {
		t.Fatalf("clean run: %v", err)
	}
	if len(st.ids) != want || final != want {
		t.Fatalf("after the clean run: %d stored, API search found %d, %d matching items were served", len(st.ids), final, want)
	}
	if st.watermark != st.lastSeq {
		t.Fatalf("after a clean stop the index watermark is %d, the log %d", st.watermark, st.lastSeq)
	}
	checkIndexEqualsDB(t, dataDir, st)
	midRound := checkKillsLanded(t, kills, st)
	t.Logf("%d kills in %s: %d mid-round, %d with index lag (max %d); %d mentions; %d index rebuilds",
		crashKills, killTime.Round(time.Millisecond), midRound, lagged, maxLag, len(st.ids), rebuilds)
	// The test proves something only if the kills hit work in progress. In
	// three runs on 2 busy cores (one under -race), 12 to 20 of 24 kills
	// landed mid-round and 10 to 20 with the index behind; the floors are a
	// quarter and an eighth.
	if midRound < crashKills/4 {
		t.Errorf("only %d of %d kills landed mid-round (mentions acknowledged, sources still to fetch): the kills test nothing", midRound, crashKills)
	}
	if lagged < crashKills/8 {
		t.Errorf("only %d of %d kills left the index behind the log: the index replay is barely tested", lagged, crashKills)
	}
}

// crashKill is what one life had done when it was killed.
type crashKill struct {
	life     int
	where    string
	acked    int            // mentions the life acknowledged as added
	pending  []string       // sources whose fetch had not finished
	bySource map[string]int // mentions stored per source at the kill
}

func newCrashKill(life int, where string, acks map[string]int, st *dbState) crashKill {
	k := crashKill{life: life, where: where, bySource: storedBySource(st)}
	for i := range crashSources {
		name := hnSourceName(i)
		if n, done := acks[name]; done {
			k.acked += n
		} else {
			k.pending = append(k.pending, name)
		}
	}
	return k
}

func storedBySource(st *dbState) map[string]int {
	out := map[string]int{}
	for _, m := range st.ids {
		out[m.Source]++
	}
	return out
}

// checkKillsLanded counts the kills that landed mid-round: the life had
// acknowledged mentions and some sources had not finished their fetch. For
// each, more must have arrived after: a source still pending at the kill
// stored mentions in a later life (the round the kill cut short was
// resumed, not skipped). final is the store after the clean run.
func checkKillsLanded(t *testing.T, kills []crashKill, final *dbState) int {
	t.Helper()
	end := storedBySource(final)
	mid := 0
	for _, k := range kills {
		if k.acked == 0 || len(k.pending) == 0 {
			continue
		}
		mid++
		resumed := slices.ContainsFunc(k.pending, func(src string) bool { return end[src] > k.bySource[src] })
		if !resumed {
			t.Errorf("life %d (killed %s): %d mentions acknowledged, %d sources still to fetch, but none of them stored anything afterwards",
				k.life, k.where, k.acked, len(k.pending))
		}
	}
	return mid
}

func (c *child) snapshotLines() []string {
	lines, _, _ := c.snapshot()
	return lines
}

// countExpected is the number of matching items the streams ever served
// (shared items once).
func countExpected(streams []*hnStream) int {
	ids := map[string]bool{}
	for _, s := range streams {
		for k := 1; k <= s.servedUpTo(); k++ {
			if hnMatches(k) {
				ids[s.objectID(k)] = true
			}
		}
	}
	return len(ids)
}

// waitSearchTotal polls the daemon's search API for q until ok(total) or the
// timeout, returning the last total.
func waitSearchTotal(t *testing.T, c *child, api, q string, ok func(int) bool, timeout time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(timeout)
	last := -1
	for {
		resp, err := http.Get(api + "/api/search?size=1&q=" + url.QueryEscape(q))
		if err == nil {
			var res struct {
				Total int `json:"total"`
			}
			err = decodeJSON(resp, &res)
			if err == nil {
				last = res.Total
				if ok(last) {
					return last
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("search %q through the API: total %d did not converge within %s (last error %v); log:\n%s", q, last, timeout, err, tail(c.log(), 30))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkIndexEqualsDB opens the bleve index directly (the daemon stopped) and
// requires exactly the mention IDs of bbolt, then reopens the store and
// searches through it.
func checkIndexEqualsDB(t *testing.T, dataDir string, st *dbState) {
	t.Helper()
	// One bleve index per week (store: index/YYYY-Www.bleve), searched together.
	parts, _ := filepath.Glob(filepath.Join(dataDir, "index", "*.bleve"))
	all := make([]bleve.Index, 0, len(parts))
	for _, p := range parts {
		one, err := bleve.Open(p)
		if err != nil {
			t.Fatalf("open index: %v", err)
		}
		all = append(all, one)
	}
	idx := bleve.NewIndexAlias(all...)
	n, err := idx.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), len(st.ids)+10, 0, false)
	res, err := idx.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	for _, one := range all {
		_ = one.Close()
	}
	if n != uint64(len(st.ids)) || len(res.Hits) != len(st.ids) {
		t.Fatalf("index holds %d docs (%d hits), bbolt %d mentions", n, len(res.Hits), len(st.ids))
	}
	for _, h := range res.Hits {
		if _, ok := st.ids[h.ID]; !ok {
			t.Fatalf("index has %s, bbolt does not", h.ID)
		}
	}

	s, err := store.Open(dataDir, store.Options{})
	if err != nil {
		t.Fatalf("reopen store: %v", err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := s.Stats().Mentions; got != uint64(len(st.ids)) {
		t.Fatalf("store stats: %d mentions, bbolt %d", got, len(st.ids))
	}
	for _, q := range []string{"quokka", ""} {
		res, err := s.Search(ctx, store.SearchRequest{Query: mustParse(t, q), Page: 1, Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != uint64(len(st.ids)) {
			t.Fatalf("store search %q: %d hits, bbolt %d", q, res.Total, len(st.ids))
		}
	}
}

func decodeJSON(resp *http.Response, v any) error {
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", resp.StatusCode, body)
	}
	return json.Unmarshal(body, v)
}

func mustParse(t *testing.T, q string) query.Node {
	t.Helper()
	if q == "" {
		return nil
	}
	n, err := query.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
