package report

import (
	"cmp"
	"slices"
	"strings"

	"github.com/earshot/earshot/config"
)

var audienceFormula = []string{
	"languages = each brand's mentions in the window by detected language",
	"hour of week = every mention of the window (each once) by local weekday (Monday first) and hour",
	"top voices = authors ranked by the summed interactions of their mentions in the window (never views or impressions), then by mentions; followers = the largest count seen, null when the network gives none",
	"top sites = hosts publishing mentions on news and web networks (rss, web, naver); top link domains = hosts the window's mentions link to, each mention once per host",
}

func audience(d *daily, f *factFigures, brands []string, cfg *config.Config) AudienceSection {
	sec := AudienceSection{Formula: audienceFormula, HourOfWeek: d.how}
	for _, b := range brands {
		sec.Languages = append(sec.Languages, LangRow{Brand: b, Counts: topCounts(f.langs[b], 0)})
	}
	// Network + author is unique, so this order is total: no map order
	// leaks. The first topVoices are kept as the voices go by, without
	// sorting them all.
	order := func(a, b *Voice) int {
		if c := cmp.Compare(b.Interactions, a.Interactions); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Mentions, a.Mentions); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Network, b.Network); c != 0 {
			return c
		}
		return cmp.Compare(a.Author, b.Author)
	}
	var all []*Voice
	for _, v := range f.voices {
		all = keepN(all, v, topVoices, order)
	}
	for _, v := range all {
		c := *v
		c.Brands = slices.Clone(v.Brands)
		if v.Followers != nil {
			c.Followers = i64(*v.Followers)
		}
		slices.Sort(c.Brands)
		sec.TopVoices = append(sec.TopVoices, c)
	}
	sec.Sites = domains(f.sites, cfg)
	sec.Links = domains(f.linkHosts, cfg)
	return sec
}

// topCounts sorts counts by count (desc) then label; n > 0 keeps the first n.
func topCounts(m map[string]int64, n int) []LabelCount {
	out := make([]LabelCount, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, LabelCount{Label: k, Count: m[k]})
	}
	slices.SortStableFunc(out, func(a, b LabelCount) int { return cmp.Compare(b.Count, a.Count) })
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

func domains(m map[string]int64, cfg *config.Config) []DomainCount {
	var out []DomainCount
	for _, lc := range topCounts(m, topDomains) {
		dc := DomainCount{Domain: lc.Label, Mentions: lc.Count}
		if owners := linkedBrands([]string{lc.Label}, cfg.Brands); len(owners) > 0 {
			dc.Brand = strings.Join(owners, ", ")
		}
		out = append(out, dc)
	}
	return out
}
