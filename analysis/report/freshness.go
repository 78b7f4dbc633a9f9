package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// Freshness says how fresh the engagement counts behind the report are
// (docs/report.md, "Engagement freshness"). Counts are read when a post is
// first fetched and refreshed at the ages of store.RefreshAges; a figure
// built on counts read minutes after publication understates engagement.
type Freshness struct {
	// Counted is the window's mentions on networks that give counts.
	Counted int64 `json:"counted"`
	// Bands counts them by how long after publication their counts were
	// last read: one band per refresh age ("under 1h", "1h+", "6h+", ...).
	Bands []FreshBand `json:"bands"`
	// Mature is the share of Counted read at least MatureAge after
	// publication, null when Counted is 0.
	Mature    *float64 `json:"mature"`
	MatureAge string   `json:"mature_age"`
	// Unrefreshed are the networks in the window that give no counts
	// (nothing to refresh: feeds, web pages, Naver) and their mentions.
	Unrefreshed      []string `json:"unrefreshed,omitempty"`
	UnrefreshedCount int64    `json:"unrefreshed_mentions"`
}

// FreshBand is one band of Freshness.
type FreshBand struct {
	Label    string `json:"label"`
	Mentions int64  `json:"mentions"`
}

// matureAge is the age from which counts are called mature: a day, the
// third refresh.
const matureAge = 24 * time.Hour

// hasCounts says whether a network's listener gives engagement counts (the
// networks table lists their classes); only those are refreshed.
var hasCounts = func() map[string]bool {
	out := map[string]bool{}
	for _, n := range config.Networks() {
		out[n.Name] = len(n.Engagement) > 0
	}
	return out
}()

// freshBand is the band of a mention whose counts were read age after
// publication: 0 below the first refresh age, i for RefreshAges[i-1] and up.
func freshBand(age time.Duration) int { return store.FreshBand(age) }

func freshLabels() []string {
	out := []string{"under " + shortAge(store.RefreshAges[0])}
	for _, a := range store.RefreshAges {
		out = append(out, shortAge(a)+"+")
	}
	return out
}

// shortAge writes 1h, 6h, 24h, 72h, 7d.
func shortAge(d time.Duration) string {
	if d >= 7*24*time.Hour && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return fmt.Sprintf("%dh", d/time.Hour)
}

// newFreshness is an empty Freshness; readFacts adds the window's facts
// to it (add) in its one pass and Build finishes it.
func newFreshness() *Freshness {
	labels := freshLabels()
	f := &Freshness{Bands: make([]FreshBand, len(labels)), MatureAge: shortAge(matureAge)}
	for i, l := range labels {
		f.Bands[i].Label = l
	}
	return f
}

// add counts one fact of the window (any kind): when its counts were read.
func (f *Freshness) add(x *store.Fact, mature *int64) {
	if !hasCounts[x.Network] {
		f.UnrefreshedCount++
		if !slices.Contains(f.Unrefreshed, x.Network) {
			f.Unrefreshed = append(f.Unrefreshed, x.Network)
		}
		return
	}
	f.Counted++
	f.Bands[freshBand(x.CountedAfter)].Mentions++
	if x.CountedAfter >= matureAge {
		*mature++
	}
}

// finish sorts the networks and computes the mature share.
func (f *Freshness) finish(mature int64) *Freshness {
	slices.Sort(f.Unrefreshed)
	if f.Counted > 0 {
		v := float64(mature) / float64(f.Counted)
		f.Mature = &v
	}
	return f
}

// note is the freshness line printed with the report's notes.
func (f *Freshness) note() Note {
	n := Note{Key: "fresh none"}
	if f.Mature != nil {
		n = Note{Key: "fresh", Args: []any{*f.Mature * 100, f.Counted, f.MatureAge, strings.Join(ageList(), ", ")}}
	}
	if len(f.Unrefreshed) > 0 {
		n.Then = &Note{Key: "fresh unrefr.", Labels: f.Unrefreshed, Args: []any{f.UnrefreshedCount}}
	}
	return n
}

func ageList() []string {
	out := make([]string, len(store.RefreshAges))
	for i, a := range store.RefreshAges {
		out[i] = shortAge(a)
	}
	return out
}

// addSum counts an hour sum's facts as add counts each of them.
func (f *Freshness) addSum(s *store.HourSum, mature *int64) {
	var n int64
	for _, c := range s.Fresh {
		n += c
	}
	if n == 0 {
		return
	}
	if !hasCounts[s.Network] {
		f.UnrefreshedCount += n
		if !slices.Contains(f.Unrefreshed, s.Network) {
			f.Unrefreshed = append(f.Unrefreshed, s.Network)
		}
		return
	}
	f.Counted += n
	for i, c := range s.Fresh {
		f.Bands[i].Mentions += c
		if i >= matureBand {
			*mature += c
		}
	}
}
