package store

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/upsidedown"
	"github.com/blevesearch/bleve/v2/index/upsidedown/store/gtreap"
	bq "github.com/blevesearch/bleve/v2/search/query"
	"github.com/earshot/earshot/query"
)

var (
	facetWords  = strings.Fields("battery charger screen refund outage price camera update")
	facetBrands = []string{"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark"}
	facetNets   = []string{"hackernews", "rss", "reddit", "mastodon"}
	facetLabels = []string{"positive", "neutral", "negative"}
	facetStart  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	facetEnd    = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
)

// facetMention is mention n of the facet corpus: one to three brands, a
// few of facetWords, published at a random instant of [facetStart,
// facetEnd).
func facetMention(r *rand.Rand, n int) Mention {
	at := facetStart.Add(time.Duration(r.Int63n(int64(facetEnd.Sub(facetStart)))))
	words := make([]string, 0, 6)
	for range 1 + r.Intn(5) {
		words = append(words, facetWords[r.Intn(len(facetWords))])
	}
	bs := []string{facetBrands[r.Intn(len(facetBrands))]}
	for range r.Intn(3) {
		if b := facetBrands[r.Intn(len(facetBrands))]; !slices.Contains(bs, b) {
			bs = append(bs, b)
		}
	}
	m := Mention{
		ID: fmt.Sprintf("f:%d", n), Network: facetNets[r.Intn(len(facetNets))], Source: "f", NativeID: fmt.Sprint(n),
		URL: fmt.Sprintf("https://example.com/%d", n), Title: bs[0], Text: strings.Join(words, " "),
		Kind: KindMention, Lang: "en", Brands: bs, Published: at, Fetched: at.Add(time.Minute),
		SentimentLabel: facetLabels[r.Intn(len(facetLabels))],
	}
	if r.Intn(4) == 0 {
		m.Lang = "ko"
	}
	if r.Intn(10) == 0 {
		m.Kind = KindOwned
	}
	return m
}

// facetCorpus is a store whose partitions have several segments and
// deleted documents: 3,000 mentions committed in chunks (each synced, so
// each chunk is new segments), a fifth re-labelled by Rescore (their old
// documents deleted), and those before January 20 pruned.
func facetCorpus(t *testing.T) (*Store, []string) {
	t.Helper()
	opts := testOpts()
	opts.Clock = func() time.Time { return facetEnd }
	s, err := Open(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	r := rand.New(rand.NewSource(20))
	var ids []string
	for chunk := range 20 {
		ms := make([]Mention, 0, 150)
		for i := range 150 {
			m := facetMention(r, chunk*150+i)
			ms = append(ms, m)
			ids = append(ids, m.ID)
		}
		commitT(t, s, ms...)
		syncT(t, s)
	}
	var after uint64
	for {
		res, next, err := s.Rescore(context.Background(), "v2", after, 500, func(m *Mention) {
			m.SentimentModel = "v2"
			if m.NativeID[len(m.NativeID)-1]%5 == 0 {
				i := slices.Index(facetLabels, m.SentimentLabel)
				m.SentimentLabel = facetLabels[(i+1)%len(facetLabels)]
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if after = next; res.Done {
			break
		}
	}
	if _, err := s.Prune(context.Background(), time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	syncT(t, s)
	return s, ids
}

// snapshotShape counts the segments of parts and those with deleted
// documents.
func snapshotShape(t testing.TB, parts []bleve.Index) (segs, withDeleted int) {
	t.Helper()
	for _, p := range parts {
		adv, err := p.Advanced()
		if err != nil {
			t.Fatal(err)
		}
		r, err := adv.(*scorch.Scorch).Reader()
		if err != nil {
			t.Fatal(err)
		}
		for _, ss := range r.(*scorch.IndexSnapshot).Segments() {
			segs++
			if d := ss.Deleted(); d != nil && !d.IsEmpty() {
				withDeleted++
			}
		}
		_ = r.Close()
	}
	return segs, withDeleted
}

// randomFacetRequest is a random query (nil, a word, OR, AND, AND NOT),
// window (either bound open or cut at any minute) and filters.
func randomFacetRequest(r *rand.Rand) SearchRequest {
	w := func() query.Node { return term(facetWords[r.Intn(len(facetWords))]) }
	var req SearchRequest
	switch r.Intn(5) {
	case 0:
	case 1:
		req.Query = w()
	case 2:
		req.Query = or(w(), w())
	case 3:
		req.Query = and(w(), w())
	default:
		req.Query = and(w(), query.Not{Child: w()})
	}
	at := func() time.Time {
		return facetStart.AddDate(0, 0, r.Intn(130)).Add(time.Duration(r.Intn(24*60)) * time.Minute)
	}
	if r.Intn(4) != 0 {
		req.From = at()
	}
	if r.Intn(3) != 0 {
		req.To = at()
		if !req.From.IsZero() && !req.From.Before(req.To) {
			req.From, req.To = req.To.AddDate(0, 0, -r.Intn(40)-1), req.From.Add(time.Minute)
		}
	}
	pick := func(from []string, p int) []string {
		if r.Intn(p) != 0 {
			return nil
		}
		return []string{from[r.Intn(len(from))]}
	}
	req.Brands = pick(facetBrands, 3)
	req.Networks = pick(facetNets, 3)
	req.Langs = pick([]string{"en", "ko"}, 5)
	req.Kinds = pick([]string{KindMention, KindOwned}, 5)
	if len(req.Brands) == 0 {
		req.Sentiments = pick(facetLabels, 4)
	}
	req.Facets = AllFacets
	req.Page = 1
	return req
}

// truthHits are the mentions of ids still in bbolt that req selects.
func truthHits(t *testing.T, s *Store, ids []string, req SearchRequest) []Hit {
	t.Helper()
	var ms []Mention
	for _, id := range ids {
		m, ok, err := s.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			ms = append(ms, m)
		}
	}
	return selectHits(t, ms, req)
}

// selectHits are the mentions of ms that req selects, checked one by one
// (the query's matcher, the filters, the window).
func selectHits(t *testing.T, ms []Mention, req SearchRequest) []Hit {
	t.Helper()
	c, err := compileQuery(req.Query)
	if err != nil {
		t.Fatal(err)
	}
	in := func(v string, set []string) bool { return len(set) == 0 || slices.Contains(set, v) }
	var hits []Hit
	for _, m := range ms {
		if (c.m != nil && !c.m.match(newEvalDoc(m.Title, m.Text))) ||
			!in(m.Network, req.Networks) || !in(m.Lang, req.Langs) || !in(m.Kind, req.Kinds) ||
			!in(m.SentimentLabel, req.Sentiments) ||
			(!req.From.IsZero() && m.Published.Before(req.From)) || (!req.To.IsZero() && !m.Published.Before(req.To)) {
			continue
		}
		if len(req.Brands) > 0 && !slices.ContainsFunc(m.Brands, func(b string) bool { return slices.Contains(req.Brands, b) }) {
			continue
		}
		hits = append(hits, Hit{Mention: m})
	}
	return hits
}

func facetString(fs map[string][]FacetCount) string {
	var b strings.Builder
	for _, f := range AllFacets {
		fmt.Fprintf(&b, "%s:", f)
		for _, c := range fs[f] {
			fmt.Fprintf(&b, " %s=%d", c.Term, c.Count)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// The facet counts from postings bitmaps equal, term by term and in
// order, those of bleve's facet builders and those counted over the
// mentions in bbolt, on an index of several partitions whose snapshots
// have several segments and deleted documents (updated and pruned
// mentions), for random queries, windows and filters; Total is the number
// of mentions selected.
func TestBitmapFacetsEqualBleveAndTruth(t *testing.T) {
	s, ids := facetCorpus(t)
	parts := s.idx.window(time.Time{}, time.Time{})
	segs, withDeleted := snapshotShape(t, parts)
	// The store's merges make the shape vary from run to run;
	// TestBitmapFacetsSegments fixes it.
	t.Logf("%d partitions, %d segments, %d with deleted documents", len(parts), segs, withDeleted)
	if len(parts) < 2 {
		t.Fatalf("%d partitions, want several", len(parts))
	}
	r := rand.New(rand.NewSource(1))
	for i := range 80 {
		req := randomFacetRequest(r)
		res := find(t, s, req)
		c, err := compileQuery(req.Query)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := s.bleveFacets(context.Background(), requestQuery(c.q, req), req)
		if err != nil {
			t.Fatal(err)
		}
		hits := truthHits(t, s, ids, req)
		truth := countFacets(hits, req.Facets)
		got := facetString(res.Facets)
		if want := facetString(truth); got != want {
			t.Errorf("case %d %+v:\nbitmaps:\n%sbbolt:\n%s", i, req, got, want)
		}
		if want := facetString(ref); got != want {
			t.Errorf("case %d %+v:\nbitmaps:\n%sbleve:\n%s", i, req, got, want)
		}
		if res.Total != uint64(len(hits)) {
			t.Errorf("case %d: total %d, want %d", i, res.Total, len(hits))
		}
	}
}

// Counts over several partitions are added: the same mentions split
// between two indexes count as in one.
func TestBitmapFacetsSumPartitions(t *testing.T) {
	s, _ := facetCorpus(t)
	parts := s.idx.window(time.Time{}, time.Time{})
	c, err := compileQuery(term("battery"))
	if err != nil {
		t.Fatal(err)
	}
	q := requestQuery(c.q, SearchRequest{})
	all, ok, err := bitmapFacets(context.Background(), withQuery(parts, q), AllFacets, time.Time{}, time.Time{})
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	sum := map[string]map[string]int{}
	for _, p := range parts {
		one, ok, err := bitmapFacets(context.Background(), withQuery([]bleve.Index{p}, q), AllFacets, time.Time{}, time.Time{})
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		for f, c := range one {
			if sum[f] == nil {
				sum[f] = map[string]int{}
			}
			for v, n := range c {
				sum[f][v] += n
			}
		}
	}
	for _, f := range AllFacets {
		if fmt.Sprint(all[f]) != fmt.Sprint(sum[f]) || len(all[f]) == 0 {
			t.Errorf("%s: all partitions %v, sum of each %v", f, all[f], sum[f])
		}
	}
}

// An index that is not scorch is not counted from bitmaps: the caller
// falls back to bleve's facets.
func TestBitmapFacetsNotScorch(t *testing.T) {
	m, err := newIndexMapping()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.NewUsing("", m, upsidedown.Name, gtreap.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	_, ok, err := bitmapFacets(context.Background(), withQuery([]bleve.Index{idx}, bleve.NewMatchAllQuery()), AllFacets, time.Time{}, time.Time{})
	if ok || err != nil {
		t.Errorf("upside_down index: ok %v, err %v; want a fallback", ok, err)
	}
}

// On partitions of many segments holding updated and deleted documents, the counts from bitmaps equal those of bleve's facet
// builders over the same partitions and those counted over the live
// mentions, term by term.
func TestBitmapFacetsSegments(t *testing.T) {
	m, err := newIndexMapping()
	if err != nil {
		t.Fatal(err)
	}
	parts := make([]bleve.Index, 3)
	for i := range parts {
		// In memory, scorch neither persists nor merges: each batch stays
		// a segment. Partition 0 is on disk and merged below: a merged
		// segment stores a value found in one document as a "1-hit"
		// posting, not a bitmap.
		path := ""
		if i == 0 {
			path = filepath.Join(t.TempDir(), "p0.bleve")
		}
		idx, err := bleve.NewUsing(path, m, scorch.Name, scorch.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = idx.Close() })
		parts[i] = idx
	}
	r := rand.New(rand.NewSource(7))
	live := map[string]Mention{}
	var order []string
	index := func(part int, ms []Mention) {
		docs := make([]indexFields, 0, len(ms))
		for i := range ms {
			docs = append(docs, fieldsOf(&ms[i]))
			live[ms[i].ID] = ms[i]
		}
		if err := indexInto(parts[part], docs); err != nil {
			t.Fatal(err)
		}
	}
	for n := 0; n < 2400; n += 100 {
		ms := make([]Mention, 0, 100)
		for i := range 100 {
			m := facetMention(r, n+i)
			ms = append(ms, m)
			order = append(order, m.ID)
		}
		if n == 0 {
			ms[0].Brands, ms[0].Network = []string{"Zenith"}, "lemmy" // one of a kind
		}
		index(n/100%len(parts), ms)
	}
	adv, err := parts[0].Advanced()
	if err != nil {
		t.Fatal(err)
	}
	if err := adv.(*scorch.Scorch).ForceMerge(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	// Update a fifth (new brands, network and label: the old document is
	// deleted in its segment) and delete a seventh.
	for i, id := range order {
		part := i / 100 % len(parts)
		switch {
		case i%5 == 0:
			m := live[id]
			m.Brands = []string{facetBrands[r.Intn(len(facetBrands))]}
			m.Network = facetNets[r.Intn(len(facetNets))]
			m.SentimentLabel = facetLabels[r.Intn(len(facetLabels))]
			index(part, []Mention{m})
		case i%7 == 0:
			b := parts[part].NewBatch()
			b.Delete(id)
			if err := parts[part].Batch(b); err != nil {
				t.Fatal(err)
			}
			delete(live, id)
		}
	}
	segs, withDeleted := snapshotShape(t, parts)
	t.Logf("%d partitions, %d segments, %d with deleted documents", len(parts), segs, withDeleted)
	if segs < 10*len(parts) || withDeleted < len(parts) {
		t.Fatalf("%d segments, %d with deletions: want several of each per partition", segs, withDeleted)
	}
	ms := make([]Mention, 0, len(live))
	for _, m := range live {
		ms = append(ms, m)
	}
	rr := rand.New(rand.NewSource(3))
	for i := range 60 {
		req := randomFacetRequest(rr)
		c, err := compileQuery(req.Query)
		if err != nil {
			t.Fatal(err)
		}
		q := requestQuery(c.q, req)
		counts, ok, err := bitmapFacets(context.Background(), withQuery(parts, q), req.Facets, req.From, req.To)
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		got := map[string][]FacetCount{}
		for f, c := range counts {
			got[f] = rankFacet(f, c)
		}
		sr := bleve.NewSearchRequestOptions(q, 0, 0, false)
		for _, f := range req.Facets {
			sr.AddFacet(f, bleve.NewFacetRequest(f, 1000)) // more than there are terms: exact
		}
		res, err := bleve.NewIndexAlias(parts...).Search(sr)
		if err != nil {
			t.Fatal(err)
		}
		ref := map[string][]FacetCount{}
		for _, f := range req.Facets {
			ref[f] = facetCounts(res.Facets[f], facetLimit(f))
		}
		hits := selectHits(t, ms, req)
		if want := facetString(countFacets(hits, req.Facets)); facetString(got) != want {
			t.Errorf("case %d %+v:\nbitmaps:\n%slive mentions:\n%s", i, req, facetString(got), want)
		}
		if want := facetString(ref); facetString(got) != want {
			t.Errorf("case %d %+v:\nbitmaps:\n%sbleve:\n%s", i, req, facetString(got), want)
		}
		if res.Total != uint64(len(hits)) {
			t.Errorf("case %d: bleve finds %d, want %d", i, res.Total, len(hits))
		}
	}
}

func withQuery(idxs []bleve.Index, q bq.Query) []partQuery {
	out := make([]partQuery, len(idxs))
	for i, idx := range idxs {
		out[i] = partQuery{idx: idx, q: q}
	}
	return out
}

// docs/api.md states the facets' limits and order as the code has them.
func TestFacetContractDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("each lists at most %d values (`day`: %d), most frequent first, ties in ascending order of the value", facetSize, dayFacetSize)
	if !strings.Contains(string(b), want) {
		t.Errorf("docs/api.md does not say %q", want)
	}
	got := rankFacet(FacetBrand, map[string]int{"b": 2, "a": 2, "c": 3})
	if fmt.Sprint(got) != "[{c 3} {a 2} {b 2}]" {
		t.Errorf("order %v, want most frequent first, ties ascending", got)
	}
}
