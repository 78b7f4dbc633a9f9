package report

import (
	"context"
	"slices"
	"strings"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// readLinks fills the traffic-proxy counts (window, previous period and
// weekly blocks) and the window's link domains from the link rollups: each
// mention once per brand whose domains it links to, and once per host.
func readLinks(ctx context.Context, src Source, w window, filter []string, cfg *config.Config, f *factFigures) error {
	weeks := w.histDays / 7
	first := w.histDays - weeks*7
	f.linksWeek = map[nb][]int64{}
	owners := map[string][]string{} // host set → brands; sets repeat a lot
	return src.LinkCells(ctx, w.histStart, w.end, func(l store.LinkCell) error {
		if len(filter) > 0 && !slices.Contains(filter, l.Network) {
			return nil
		}
		i := w.dayIndex(l.Hour)
		if i < 0 || i >= w.histDays {
			return nil
		}
		key := strings.Join(l.Hosts, " ")
		bs, ok := owners[key]
		if !ok {
			bs = linkedBrands(l.Hosts, cfg.Brands)
			owners[key] = bs
		}
		for _, b := range bs {
			for _, n := range []string{l.Network, allNetworks} {
				k := nb{n, b}
				switch {
				case i >= w.winFrom():
					f.links[k] += l.Count
				case i >= w.prevFrom() && i < w.prevTo():
					f.linksPrev[k] += l.Count
				}
				if wk := (i - first) / 7; i >= first {
					if f.linksWeek[k] == nil {
						f.linksWeek[k] = make([]int64, weeks)
					}
					f.linksWeek[k][wk] += l.Count
				}
			}
		}
		if i >= w.winFrom() {
			for _, h := range l.Hosts {
				f.linkHosts[h] += l.Count
			}
		}
		return nil
	})
}
