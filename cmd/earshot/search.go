package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
)

func cmdSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("search", stderr)
	path := configFlag(fs)
	v := url.Values{}
	for _, name := range []string{"brand", "network", "lang", "kind", "from", "to", "sort", "page", "size"} {
		fs.Func(name, "filter or option, as the API's "+name+" parameter", func(s string) error {
			v.Add(name, s)
			return nil
		})
	}
	asJSON := fs.Bool("json", false, "print the API's JSON instead of text")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	v.Set("q", strings.Join(fs.Args(), " "))
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	resp, err := searchDaemon(ctx, cfg, v)
	if isNotRunning(err) {
		resp, err = searchStore(ctx, cfg, v, stderr)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(resp)
	}
	printResults(stdout, resp)
	return nil
}

// searchDaemon asks a running daemon, which holds the store's lock.
func searchDaemon(ctx context.Context, cfg *config.Config, v url.Values) (*web.SearchResponse, error) {
	var out web.SearchResponse
	if err := daemonGet(ctx, cfg, "/api/search", v, 30*time.Second, 32<<20, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func isNotRunning(err error) bool {
	var op *net.OpError
	return errors.Is(err, syscall.ECONNREFUSED) || (errors.As(err, &op) && op.Op == "dial")
}

// searchStore opens the store directly when no daemon is running.
func searchStore(ctx context.Context, cfg *config.Config, v url.Values, stderr io.Writer) (*web.SearchResponse, error) {
	var brands, networks []string
	for _, b := range cfg.Brands {
		brands = append(brands, b.Name)
	}
	for _, s := range cfg.Sources {
		if !contains(networks, s.Network) {
			networks = append(networks, s.Network)
		}
	}
	req, canonical, err := web.ParseSearch(v, brands, networks)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(cfg.Earshot.DataDir, store.Options{Logger: newLogger("warn", stderr)})
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

func printResults(w io.Writer, r *web.SearchResponse) {
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
