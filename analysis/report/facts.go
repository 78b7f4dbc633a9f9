package report

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// nb keys a figure by network and brand.
type nb struct{ network, brand string }

// answer is the first owned reply of a brand to one mention of it.
type answer struct {
	network, brand string
	delay          time.Duration
}

// factFigures are the window's figures that need per-mention facts.
type factFigures struct {
	reach map[nb]map[string]int64 // author (network-qualified) → max followers, per network
	// authors and unique count the distinct authors of reach and sum
	// their followers, per network and for allNetworks: an author key
	// holds its network, so the networks' sets are disjoint and the sum of
	// theirs is the all-networks figure (sumReach).
	authors, unique map[nb]int64
	links           map[nb]int64 // mentions linking to a brand's domains, window
	linksPrev       map[nb]int64
	linksWeek       map[nb][]int64    // per 7-day block of the history
	answers         map[string]answer // parent ID + brand → first reply
	langs           map[string]map[string]int64
	voices          []*Voice            // every author of the window, in no order
	voiceIdx        map[voiceKey]*Voice // the fact pass's index of voices
	sites           map[string]int64
	linkHosts       map[string]int64
	topics          map[string]map[string]int64 // topic → network → count, window
	topicPrev       map[string]int64
	candPos         map[string][]*store.Fact
	candNeg         map[string][]*store.Fact
	fresh           *Freshness // the window's facts, any kind (freshness.go)
	mature          int64
	// why keeps the spike-explanation candidates of each window day
	// (spikes_why.go), so that explaining a spike of the window reads no
	// facts again.
	why map[whyKey][]*store.Fact
}

// ownHosts are the networks that publish under the sites' own host names
// (news, blogs, crawled sites: the networks table's OwnHosts), whose sites
// are the "top domains" of news and web coverage.
var ownHosts = func() map[string]bool {
	out := map[string]bool{}
	for _, n := range config.Networks() {
		out[n.Name] = n.OwnHosts
	}
	return out
}()

// readFacts reads the window's facts in one pass, the previous period's
// topic counts when prev (the only figure of that period that needs facts;
// store.TopicCounts reads them in place), and the owned replies before and
// after the window (store.FactsOfKind skips the rest undecoded).
func readFacts(ctx context.Context, src Source, w window, filter []string, prev bool) (*factFigures, error) {
	f := newFactFigures()
	err := src.Facts(ctx, w.start, w.end, func(x *store.Fact) error {
		if len(filter) > 0 && !slices.Contains(filter, x.Network) {
			return nil
		}
		f.fresh.add(x, &f.mature)
		if x.Kind == store.KindOwned {
			f.reply(x, w)
			return nil
		}
		f.window(x)
		f.whyCandidate(x, w)
		return nil
	})
	if err != nil {
		return f, err
	}
	f.sumReach()
	if prev {
		prevEnd := w.prevStart.AddDate(0, 0, w.days)
		if f.topicPrev, err = src.TopicCounts(ctx, w.prevStart, prevEnd, store.KindMention, filter); err != nil {
			return f, err
		}
	}
	// Owned replies published within replyGrace after the window still
	// answer its mentions, and so do those dated before their parent,
	// from the comparison period's start on; nothing else there counts.
	reply := func(x *store.Fact) error {
		if len(filter) == 0 || slices.Contains(filter, x.Network) {
			f.reply(x, w)
		}
		return nil
	}
	if err := src.FactsOfKind(ctx, w.prevStart, w.start, store.KindOwned, reply); err != nil {
		return f, err
	}
	return f, src.FactsOfKind(ctx, w.end, w.end.Add(replyGrace), store.KindOwned, reply)
}

// voiceKey names an author on a network.
type voiceKey struct{ network, author string }

func newFactFigures() *factFigures {
	return &factFigures{
		reach: map[nb]map[string]int64{}, links: map[nb]int64{}, linksPrev: map[nb]int64{},
		answers: map[string]answer{}, langs: map[string]map[string]int64{}, voiceIdx: map[voiceKey]*Voice{},
		sites: map[string]int64{}, linkHosts: map[string]int64{}, topics: map[string]map[string]int64{},
		topicPrev: map[string]int64{}, candPos: map[string][]*store.Fact{}, candNeg: map[string][]*store.Fact{},
		fresh: newFreshness(), why: map[whyKey][]*store.Fact{},
	}
}

// sumReach fills authors and unique from reach.
func (f *factFigures) sumReach() {
	f.authors, f.unique = map[nb]int64{}, map[nb]int64{}
	for k, m := range f.reach {
		var u int64
		for _, fl := range m {
			u += fl
		}
		for _, key := range [2]nb{k, {allNetworks, k.brand}} {
			f.authors[key] += int64(len(m))
			f.unique[key] += u
		}
	}
}

// window records a mention (kind mention) published in the window.
func (f *factFigures) window(x *store.Fact) {
	a := x.Network + "\x00" + x.Author
	if x.Author == "" {
		a = "\x01" + x.ID // unknown author: count the mention as its own voice
	}
	lang := x.Lang
	if lang == "" {
		lang = "unknown"
	}
	for _, b := range x.Brands {
		k := nb{x.Network, b}
		m := f.reach[k]
		if m == nil {
			m = map[string]int64{}
			f.reach[k] = m
		}
		if old, ok := m[a]; !ok || x.Followers > old {
			m[a] = x.Followers
		}
		l := f.langs[b]
		if l == nil {
			l = map[string]int64{}
			f.langs[b] = l
		}
		l[lang]++
		switch _, label := x.SentimentFor(b); label { // the brand's own label
		case "positive":
			f.candPos[b] = keepTop(f.candPos[b], x)
		case "negative":
			f.candNeg[b] = keepTop(f.candNeg[b], x)
		}
	}
	if x.Author != "" {
		v := f.voiceIdx[voiceKey{x.Network, x.Author}]
		if v == nil {
			v = &Voice{Network: x.Network, Author: x.Author}
			f.voiceIdx[voiceKey{x.Network, x.Author}] = v
			f.voices = append(f.voices, v)
		}
		v.Mentions++
		v.Interactions += x.Engagement
		if x.Followers > 0 && (v.Followers == nil || x.Followers > *v.Followers) {
			v.Followers = i64(x.Followers)
		}
		for _, b := range x.Brands {
			if !slices.Contains(v.Brands, b) {
				v.Brands = append(v.Brands, b)
			}
		}
	}
	if x.Host != "" && ownHosts[x.Network] {
		f.sites[x.Host]++
	}
	for _, t := range x.Topics {
		if f.topics[t] == nil {
			f.topics[t] = map[string]int64{}
		}
		f.topics[t][x.Network]++
	}
}

// reply records an owned reply to a mention of the window, per brand that
// both posted the reply and was mentioned by the parent.
func (f *factFigures) reply(x *store.Fact, w window) {
	if x.ParentPublished.IsZero() || x.ParentKind != store.KindMention ||
		x.ParentPublished.Before(w.start) || !x.ParentPublished.Before(w.end) {
		return
	}
	delay := max(x.Published.Sub(x.ParentPublished), 0)
	for _, b := range x.Brands {
		if !slices.Contains(x.ParentBrands, b) {
			continue
		}
		k := x.ReplyTo + "\x00" + b
		if a, ok := f.answers[k]; !ok || delay < a.delay {
			f.answers[k] = answer{network: x.Network, brand: b, delay: delay}
		}
	}
}

// keepTop keeps the topPerList most engaged facts (ties: newer, then ID).
func keepTop(list []*store.Fact, x *store.Fact) []*store.Fact {
	return keepN(list, x, topPerList, whyOrder)
}

// keepN adds x to list, sorted by order, and keeps the first n.
func keepN[T any](list []T, x T, n int, order func(a, b T) int) []T {
	if len(list) == n && order(x, list[n-1]) >= 0 {
		return list
	}
	i, _ := slices.BinarySearchFunc(list, x, order)
	list = slices.Insert(list, i, x)
	if len(list) > n {
		list = list[:n]
	}
	return list
}

// linkedBrands returns the brands (config order) owning one of hosts.
func linkedBrands(hosts []string, brands []config.Brand) []string {
	var out []string
	for _, b := range brands {
		for _, d := range b.Domains {
			d = strings.TrimPrefix(strings.ToLower(d), "www.")
			if slices.ContainsFunc(hosts, func(h string) bool { return h == d || strings.HasSuffix(h, "."+d) }) {
				out = append(out, b.Name)
				break
			}
		}
	}
	return out
}
