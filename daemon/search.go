package daemon

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
)

// Search runs the API's search (v holds its parameters): through the
// running daemon, which holds the store's lock, or in the store directly
// (log is its logger) when none runs. Both give the same answer.
func Search(ctx context.Context, cfg *config.Config, v url.Values, log zerolog.Logger) (*web.SearchResponse, error) {
	resp, err := searchDaemon(ctx, cfg, v)
	if IsNotRunning(err) {
		resp, err = searchStore(ctx, cfg, v, log)
	}
	return resp, err
}

// searchDaemon asks a running daemon, which holds the store's lock.
func searchDaemon(ctx context.Context, cfg *config.Config, v url.Values) (*web.SearchResponse, error) {
	var out web.SearchResponse
	if err := Get(ctx, cfg, "/api/search", v, 30*time.Second, 32<<20, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// searchStore opens the store directly when no daemon is running.
func searchStore(ctx context.Context, cfg *config.Config, v url.Values, log zerolog.Logger) (*web.SearchResponse, error) {
	brands, networks := Names(cfg)
	req, canonical, err := web.ParseSearch(v, brands, networks, cfg.Earshot.Location)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(cfg.Earshot.DataDir, store.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if err := st.Sync(ctx); err != nil {
		return nil, err
	}
	res, err := st.Search(ctx, req)
	if err != nil {
		return nil, err
	}
	out := web.ToSearchResponse(req, canonical, res)
	return &out, nil
}

// PrintResults writes a search answer as text: one block per hit, then
// the totals and facets.
func PrintResults(w io.Writer, r *web.SearchResponse) {
	for _, h := range r.Hits {
		snippet := strings.NewReplacer("<mark>", "[", "</mark>", "]").Replace(h.Snippet)
		snippet = html.UnescapeString(snippet)
		fmt.Fprintf(w, "%s  %-10s %-20s %s\n", h.Published.Local().Format("2006-01-02 15:04"), h.Network, strings.Join(h.Brands, ","), h.Author)
		if h.Title != "" {
			fmt.Fprintf(w, "    %s\n", h.Title)
		}
		fmt.Fprintf(w, "    %s\n    %s\n\n", snippet, h.URL)
	}
	fmt.Fprintf(w, "%d mention(s) match", r.Total)
	if r.Query != "" {
		fmt.Fprintf(w, " %s", r.Query)
	}
	fmt.Fprintf(w, "; page %d, %d per page, sorted by %s, %.1f ms\n", r.Page, r.Size, r.Sort, r.TookMS)
	for _, name := range []string{"brand", "network"} {
		var parts []string
		for _, f := range r.Facets[name] {
			parts = append(parts, fmt.Sprintf("%s %d", f.Term, f.Count))
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "  by %s: %s\n", name, strings.Join(parts, ", "))
		}
	}
}

// Report gets the competitive report (v holds /api/report's parameters):
// from the running daemon, or built from the store's rollups (log is its
// logger) when none runs.
func Report(ctx context.Context, cfg *config.Config, v url.Values, log zerolog.Logger) (*report.Report, error) {
	var r report.Report
	err := Get(ctx, cfg, "/api/report", v, time.Minute, 64<<20, &r)
	if err == nil {
		return &r, nil
	}
	if !IsNotRunning(err) {
		return nil, err
	}
	req := report.Request{Config: cfg, Period: v.Get("period"), Now: time.Now()}
	if e := v.Get("end"); e != "" {
		t, err := time.Parse(time.DateOnly, e)
		if err != nil {
			return nil, fmt.Errorf("-end %q: want a date like 2026-11-22", e)
		}
		req.End = t
	}
	for _, d := range []struct {
		key string
		to  *time.Time
	}{{"start", &req.Start}, {"compare_from", &req.CompareStart}} {
		if e := v.Get(d.key); e != "" {
			t, err := time.Parse(time.DateOnly, e)
			if err != nil {
				return nil, fmt.Errorf("%s %q: want a date like 2026-11-22", d.key, e)
			}
			*d.to = t
		}
	}
	if n := v.Get("network"); n != "" {
		req.Networks = strings.Split(n, ",")
	}
	// The report reads rollups only: leave the search index as it is.
	st, err := store.Open(cfg.Earshot.DataDir, store.Options{Logger: log, NoIndexer: true})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return report.Build(ctx, st, req)
}
