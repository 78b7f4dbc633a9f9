package main

import (
	"context"
	"encoding/json"
	"io"
	"net/url"
	"strings"

	"github.com/earshot/earshot/daemon"
)

// cmdSearch searches through the running daemon, or the store when none runs.
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
	resp, err := daemon.Search(ctx, cfg, v, daemon.NewLogger("warn", cfg.Earshot.LogFormat, stderr))
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(resp)
	}
	daemon.PrintResults(stdout, resp)
	return nil
}
