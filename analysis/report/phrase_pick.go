package report

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/earshot/earshot/store"
)

// phraseSet is one brand's phrase sample: the picked mention IDs of the
// window and the baseline, in time order, and how many mentions each held.
type phraseSet struct {
	win, base       []string
	winLen, baseLen int
}

// segment is a stretch of time whose mentions are counted as one: a whole
// UTC hour, counted by its rollup cells, or the part of an hour cut by a
// boundary of the range, counted from its facts.
type segment struct{ from, to time.Time }

// errPicked stops a fact scan once every pick of a segment is found.
var errPicked = errors.New("picked")

// phrasePicks returns, per brand, spread(window list, per) and
// spread(baseline list, 2×per) of its mentions by others in [baseStart,
// start) and [start, end) — the picks a scan of every fact would make —
// reading the hourly cells for the counts and then only the facts of the
// hours that hold a pick, each up to its last pick. Picks are at most
// 3 × per per brand, so the facts read are bounded by the picks times the
// mentions of an hour, not by the window. When a cell disagrees with the
// facts (a rollup being rebuilt) it falls back to scanning every fact.
func phrasePicks(ctx context.Context, src Source, brands []string, baseStart, start, end time.Time, per int) (map[string]*phraseSet, error) {
	counts := map[string]map[int64]int{} // brand → UTC hour (Unix seconds) → mentions
	for _, b := range brands {
		counts[b] = map[int64]int{}
	}
	err := src.Cells(ctx, baseStart.Truncate(time.Hour), end, func(c *store.Cell) error {
		if m := counts[c.Brand]; m != nil && c.Kind == store.KindMention {
			m[c.Hour.Unix()] += int(c.Count)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Segments: whole hours, and the hours' parts cut by the boundaries.
	cuts := []time.Time{baseStart, start, end}
	var segs []segment // shared bounds; counts per brand below
	var partial []bool
	for h := baseStart.Truncate(time.Hour); h.Before(end); h = h.Add(time.Hour) {
		lo, hi := h, h.Add(time.Hour)
		points := []time.Time{lo}
		for _, c := range cuts {
			if c.After(lo) && c.Before(hi) {
				points = append(points, c)
			}
		}
		points = append(points, hi)
		for i := 0; i+1 < len(points); i++ {
			a, z := maxTime(points[i], baseStart), minTime(points[i+1], end)
			if !a.Before(z) {
				continue
			}
			segs = append(segs, segment{from: a, to: z})
			partial = append(partial, len(points) > 2 || !a.Equal(lo) || !z.Equal(hi))
		}
	}
	n := make(map[string][]int, len(brands)) // brand → mentions per segment
	for _, b := range brands {
		n[b] = make([]int, len(segs))
		for i, s := range segs {
			if !partial[i] {
				n[b][i] = counts[b][s.from.Unix()]
			}
		}
	}
	for i, s := range segs { // at most three cut hours: count their facts
		if !partial[i] {
			continue
		}
		err := src.Facts(ctx, s.from, s.to, func(f *store.Fact) error {
			if f.Kind == store.KindMention {
				for _, b := range f.Brands {
					if n[b] != nil {
						n[b][i]++
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	// Picks: positions in each brand's base and window lists → segment, offset.
	type pick struct {
		brand string
		win   bool
		off   int
	}
	want := map[int][]pick{} // segment → picks, offsets ascending per brand
	out := map[string]*phraseSet{}
	for _, b := range brands {
		ps := &phraseSet{}
		out[b] = ps
		for _, part := range []struct {
			win  bool
			size int
		}{{false, 2 * per}, {true, per}} {
			var idx []int // segments of the part, in order
			total := 0
			for i, s := range segs {
				if s.from.Before(start) != part.win {
					idx = append(idx, i)
					total += n[b][i]
				}
			}
			if part.win {
				ps.winLen = total
			} else {
				ps.baseLen = total
			}
			seg, before := 0, 0
			for _, pos := range spreadIndex(total, part.size) {
				for pos >= before+n[b][idx[seg]] {
					before += n[b][idx[seg]]
					seg++
				}
				want[idx[seg]] = append(want[idx[seg]], pick{brand: b, win: part.win, off: pos - before})
			}
		}
	}
	for _, i := range slices.Sorted(maps.Keys(want)) {
		picks := want[i]
		seen := map[string]int{}
		left := len(picks)
		err := src.FactBrands(ctx, segs[i].from, segs[i].to, store.KindMention, func(id string, fbrands []string) error {
			for _, b := range fbrands {
				if out[b] == nil {
					continue
				}
				at := seen[b]
				seen[b]++
				for _, p := range picks {
					if p.brand == b && p.off == at {
						if p.win {
							out[b].win = append(out[b].win, id)
						} else {
							out[b].base = append(out[b].base, id)
						}
						left--
					}
				}
			}
			if left == 0 {
				return errPicked
			}
			return nil
		})
		if err != nil && !errors.Is(err, errPicked) {
			return nil, err
		}
		if left != 0 { // the cells disagree with the facts
			return phraseScan(ctx, src, brands, baseStart, start, end, per)
		}
	}
	return out, nil
}

// phraseScan makes the same picks from a scan of every fact of the range.
func phraseScan(ctx context.Context, src Source, brands []string, baseStart, start, end time.Time, per int) (map[string]*phraseSet, error) {
	out := map[string]*phraseSet{}
	for _, b := range brands {
		out[b] = &phraseSet{}
	}
	err := src.Facts(ctx, baseStart, end, func(f *store.Fact) error {
		if f.Kind != store.KindMention {
			return nil
		}
		for _, b := range f.Brands {
			if x := out[b]; x != nil {
				if f.Published.Before(start) {
					x.base = append(x.base, f.ID)
				} else {
					x.win = append(x.win, f.ID)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, x := range out {
		x.winLen, x.baseLen = len(x.win), len(x.base)
		x.win, x.base = spread(x.win, per), spread(x.base, 2*per)
	}
	return out, nil
}

// spreadIndex is the positions spread picks from a list of n: all when
// n ≤ k, else i×n÷k for i < k.
func spreadIndex(n, k int) []int {
	out := make([]int, 0, min(n, k))
	if n <= k {
		for i := range n {
			out = append(out, i)
		}
		return out
	}
	for i := range k {
		out = append(out, i*n/k)
	}
	return out
}

// spread picks at most n of list, evenly spaced, in order.
func spread(list []string, n int) []string {
	out := make([]string, 0, min(len(list), n))
	for _, i := range spreadIndex(len(list), n) {
		out = append(out, list[i])
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
