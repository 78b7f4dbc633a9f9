package report

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot/store"
)

// matureBand is the first refresh band whose counts are mature (read at
// least matureAge after publication), -1 when matureAge is not a refresh
// age (then the hour sums cannot tell, and the report reads facts).
var matureBand = func() int {
	for i, a := range store.RefreshAges {
		if a == matureAge {
			return i + 1
		}
	}
	return -1
}()

// hourAligned says whether every local midnight from the comparison
// period's start to the window's end is a whole UTC hour: then the window,
// the comparison period and every day between are unions of UTC hours,
// and the hour sums give their figures exactly.
func (w window) hourAligned() bool {
	if matureBand < 0 || topPerList > store.HourTopK || whyTop > store.HourTopK {
		return false
	}
	for t := w.prevStart; !t.After(w.end); t = t.AddDate(0, 0, 1) {
		if t.Unix()%3600 != 0 {
			return false
		}
	}
	return w.prevStart.Unix()%3600 == 0 && w.end.Unix()%3600 == 0
}

// readWindow computes the window's fact figures from the hour sums when
// the window is made of whole UTC hours, else with a pass over its facts
// (readFacts, the reference the sums are tested against).
func readWindow(ctx context.Context, src Source, w window, filter []string, prev bool) (*factFigures, error) {
	if !w.hourAligned() {
		return readFacts(ctx, src, w, filter, prev)
	}
	return readSums(ctx, src, w, filter, prev)
}

// topRef keys a merged top list: list, brand, and for spike candidates
// the window day and network ("all" too).
type topRef struct {
	list           byte
	day            int
	network, brand string
}

// readSums is readFacts from the hour sums: the union over the window's
// hours of each hour's partial aggregates. Distinct authors and reach
// merge per author (largest followers), counts add, and top lists keep
// the first of the union of the hours' top lists (each hour keeps
// store.HourTopK, at least the report's lists).
func readSums(ctx context.Context, src Source, w window, filter []string, prev bool) (*factFigures, error) {
	f := newFactFigures()
	keep := func(network string) bool { return len(filter) == 0 || slices.Contains(filter, network) }
	anonN, anonF := map[nb]int64{}, map[nb]int64{}
	var accs authorAccs // by store.AuthorSum.ID
	tops := map[topRef][]store.TopFact{}
	addTop := func(k topRef, t store.TopFact, n int) {
		tops[k] = keepN(tops[k], t, n, func(a, b store.TopFact) int { return store.TopOrder(&a, &b) })
	}
	var mature int64
	var replies []netReply
	err := src.HourSums(ctx, w.start, w.end, func(s *store.HourSum) error {
		if !keep(s.Network) {
			return nil
		}
		f.fresh.addSum(s, &mature)
		accs.add(s)
		for _, a := range s.Anon {
			anonN[nb{s.Network, a.Brand}] += a.Mentions
			anonF[nb{s.Network, a.Brand}] += a.Followers
		}
		for _, l := range s.Langs {
			b, lang, _ := strings.Cut(l.Key, "\x00")
			if lang == "" {
				lang = "unknown"
			}
			if f.langs[b] == nil {
				f.langs[b] = map[string]int64{}
			}
			f.langs[b][lang] += l.Count
		}
		if ownHosts[s.Network] {
			for _, h := range s.Hosts {
				f.sites[h.Key] += h.Count
			}
		}
		for _, t := range s.Topics {
			if f.topics[t.Key] == nil {
				f.topics[t.Key] = map[string]int64{}
			}
			f.topics[t.Key][s.Network] += t.Count
		}
		day := w.dayIndex(s.Hour)
		for _, t := range s.Top {
			switch t.List {
			case store.TopPositive, store.TopNegative:
				addTop(topRef{list: t.List, brand: t.Brand}, t, topPerList)
			case store.TopDated:
				addTop(topRef{list: t.List, day: day, network: s.Network, brand: t.Brand}, t, whyTop)
				addTop(topRef{list: t.List, day: day, network: allNetworks, brand: t.Brand}, t, whyTop)
			}
		}
		for _, r := range s.Replies {
			replies = append(replies, netReply{s.Network, r})
		}
		return nil
	})
	if err != nil {
		return f, err
	}
	f.mature = mature
	f.mergeAuthors(&accs)
	for k, n := range anonN {
		for _, key := range [2]nb{k, {allNetworks, k.brand}} {
			f.authors[key] += n
			f.unique[key] += anonF[k]
		}
	}
	if err := f.resolveTops(src, tops); err != nil {
		return f, err
	}
	if prev {
		prevEnd := w.prevStart.AddDate(0, 0, w.days)
		err := src.HourSumReplies(ctx, w.prevStart, prevEnd, func(s *store.HourSum) error {
			if keep(s.Network) {
				for _, t := range s.Topics {
					f.topicPrev[t.Key] += t.Count
				}
			}
			return nil
		})
		if err != nil {
			return f, err
		}
	}
	// Replies in the order readFacts meets them: the window's, then those
	// before it from the comparison period's start, then those after it.
	f.replySums(replies, w)
	for _, r := range [][2]time.Time{{w.prevStart, w.start}, {w.end, w.end.Add(replyGrace)}} {
		var rs []netReply
		err := src.HourSumReplies(ctx, r[0], r[1], func(s *store.HourSum) error {
			if keep(s.Network) {
				for _, x := range s.Replies {
					rs = append(rs, netReply{s.Network, x})
				}
			}
			return nil
		})
		if err != nil {
			return f, err
		}
		f.replySums(rs, w)
	}
	return f, nil
}

// netReply is a reply of an hour sum with its network.
type netReply struct {
	network string
	store.ReplySum
}

// replySums records owned replies as reply does, oldest first (ties by
// seq, the order of facts).
func (f *factFigures) replySums(rs []netReply, w window) {
	slices.SortFunc(rs, func(a, b netReply) int {
		if c := a.Published.Compare(b.Published); c != 0 {
			return c
		}
		return cmp.Compare(a.Seq, b.Seq)
	})
	for _, r := range rs {
		if r.ParentPublished.Before(w.start) || !r.ParentPublished.Before(w.end) {
			continue
		}
		for _, b := range r.Brands {
			k := r.ReplyTo + "\x00" + b
			if a, ok := f.answers[k]; !ok || r.Delay < a.delay {
				f.answers[k] = answer{network: r.network, brand: b, delay: r.Delay}
			}
		}
	}
}

// resolveTops reads the facts of the merged top lists into candPos,
// candNeg and why.
func (f *factFigures) resolveTops(src Source, tops map[topRef][]store.TopFact) error {
	var refs []store.TopFact
	for _, l := range tops {
		refs = append(refs, l...)
	}
	facts, err := src.FactsOf(refs)
	if err != nil {
		return err
	}
	byKey := map[store.TopFact]*store.Fact{}
	for i, x := range facts {
		byKey[refs[i]] = x
	}
	for k, l := range tops {
		var out []*store.Fact
		for _, t := range l {
			if x := byKey[t]; x != nil {
				out = append(out, x)
			}
		}
		switch k.list {
		case store.TopPositive:
			f.candPos[k.brand] = out
		case store.TopNegative:
			f.candNeg[k.brand] = out
		case store.TopDated:
			f.why[whyKey{day: k.day, network: k.network, brand: k.brand}] = out
		}
	}
	return nil
}

// authorAcc merges one author's hour sums: the voice's counts, and per
// brand the largest followers (the author's part of the brand's unique
// reach). brands first aliases the hour's decoded list (capacity capped:
// a new brand copies it), so an author met once allocates nothing; the
// voice's followers pointer and brand names are set once, at the end.
type authorAcc struct {
	network, name          string
	mentions, interactions int64
	followers              int64 // largest seen, 0 = unknown
	brands                 []store.BrandFollowers
	seen                   bool
}

func (acc *authorAcc) add(a *store.AuthorSum) {
	acc.mentions += a.Mentions
	acc.interactions += a.Interactions
	acc.followers = max(acc.followers, a.Followers)
	if acc.brands == nil {
		acc.brands = a.Brands[:len(a.Brands):len(a.Brands)]
		return
	}
	for _, bf := range a.Brands {
		i := slices.IndexFunc(acc.brands, func(x store.BrandFollowers) bool { return x.Brand == bf.Brand })
		if i < 0 {
			acc.brands = append(acc.brands, bf)
		} else if bf.Followers > acc.brands[i].Followers {
			acc.brands[i].Followers = bf.Followers
		}
	}
}

// authorAccs holds the merged authors by ID in blocks of accBlock, so
// that growing never copies or clears what is already held (a week's
// authors at 2M mentions are ~200k accumulators of ~100 bytes).
type authorAccs struct{ blocks [][]authorAcc }

const accBlock = 4096

// at returns the accumulator of ID id, adding blocks as needed.
func (as *authorAccs) at(id uint32) *authorAcc {
	b := int(id / accBlock)
	for len(as.blocks) <= b {
		as.blocks = append(as.blocks, make([]authorAcc, accBlock))
	}
	return &as.blocks[b][id%accBlock]
}

// each calls fn with every accumulator met, by ID.
func (as *authorAccs) each(fn func(*authorAcc)) {
	for _, blk := range as.blocks {
		for i := range blk {
			if blk[i].seen {
				fn(&blk[i])
			}
		}
	}
}

// add folds one hour's authors into as, indexed by their ID (the read
// numbers each network + author once: store.Store.HourSums), so no author
// is looked up by name.
func (as *authorAccs) add(s *store.HourSum) {
	for i := range s.Authors {
		a := &s.Authors[i]
		acc := as.at(a.ID)
		if !acc.seen {
			acc.seen, acc.network, acc.name = true, s.Network, a.Name
		}
		acc.add(a)
	}
}

// mergeAuthors takes the merged authors: the voices and, per network and
// brand, the distinct authors and the sum of their largest followers
// (author keys hold their network, so the all-networks figures are the
// sums over networks).
func (f *factFigures) mergeAuthors(accs *authorAccs) {
	f.authors, f.unique = map[nb]int64{}, map[nb]int64{}
	n, nb2 := 0, 0
	accs.each(func(acc *authorAcc) { n, nb2 = n+1, nb2+len(acc.brands) })
	voices := make([]Voice, 0, n)
	followers := make([]int64, 0, n)
	names := make([]string, 0, nb2) // the voices' brand lists, one array
	f.voices = make([]*Voice, 0, n)
	var tallies []*brandTally // per network; brands named by its authors
	var t *brandTally         // the last author's network's
	accs.each(func(acc *authorAcc) {
		v := Voice{Network: acc.network, Author: acc.name, Mentions: acc.mentions, Interactions: acc.interactions}
		if acc.followers > 0 {
			followers = append(followers, acc.followers)
			v.Followers = &followers[len(followers)-1]
		}
		if t == nil || t.network != acc.network {
			t = nil
			for _, x := range tallies {
				if x.network == acc.network {
					t = x
				}
			}
			if t == nil {
				t = &brandTally{network: acc.network}
				tallies = append(tallies, t)
			}
		}
		at := len(names)
		for _, bf := range acc.brands {
			names = append(names, bf.Brand)
			t.add(bf)
		}
		if len(names) > at {
			v.Brands = names[at:len(names):len(names)]
		}
		voices = append(voices, v)
		f.voices = append(f.voices, &voices[len(voices)-1])
	})
	for _, t := range tallies {
		for j, b := range t.brands {
			for _, key := range [2]nb{{t.network, b}, {allNetworks, b}} {
				f.authors[key] += t.authors[j]
				f.unique[key] += t.unique[j]
			}
		}
	}
}

// brandTally counts one network's distinct authors per brand and sums
// their largest followers, in slices searched linearly (a few brands), so
// merging an author costs no map lookup.
type brandTally struct {
	network         string
	brands          []string
	authors, unique []int64
}

func (t *brandTally) add(bf store.BrandFollowers) {
	j := slices.Index(t.brands, bf.Brand)
	if j < 0 {
		j = len(t.brands)
		t.brands = append(t.brands, bf.Brand)
		t.authors, t.unique = append(t.authors, 0), append(t.unique, 0)
	}
	t.authors[j]++
	t.unique[j] += bf.Followers
}
