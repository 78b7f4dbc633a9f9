package demo

import (
	"context"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/keywords"
	"github.com/earshot/earshot/daemon"
	"github.com/earshot/earshot/store"
)

func TestZZScratchDump(t *testing.T) {
	d, stop, err := Setup("127.0.0.1:0", t.TempDir(), daemon.Options{Logger: zerolog.Nop(), Clock: func() time.Time { return demoNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	if err := WaitFirstRound(ctx, d); err != nil {
		t.Fatal(err)
	}
	loc := d.Config().Earshot.Location
	start := time.Date(2026, 11, 16, 0, 0, 0, 0, loc)
	ex, _ := keywords.Shared()
	win, base := map[string]map[string]int{}, map[string]map[string]int{}
	d.Store().Range(ctx, start.AddDate(0, 0, -28), start.AddDate(0, 0, 7), func(m store.Mention) error {
		if m.Kind != store.KindMention {
			return nil
		}
		dst := win
		if m.Published.Before(start) {
			dst = base
		}
		for _, b := range m.Brands {
			if dst[b] == nil {
				dst[b] = map[string]int{}
			}
			for _, p := range ex.Phrases(m.Title + "\n" + m.Text) {
				dst[b][p]++
			}
		}
		return nil
	})
	f, _ := os.Create("/tmp/phrases.txt")
	for b, m := range win {
		var ks []string
		for k, c := range m {
			if c >= 2 {
				ks = append(ks, fmt.Sprintf("%d %s (base %d)", c, k, base[b][k]))
			}
		}
		sort.Strings(ks)
		fmt.Fprintln(f, b, ks)
	}
	f.Close()
}
