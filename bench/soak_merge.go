package bench

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/earshot/earshot/store"
)

// mergePhase runs the index maintenance (store.MergeIndex) after the bulk
// load and before the live phase, until no partition is due, with the
// store's clock at the stream's end: every week of the bulk load but the
// last (not settled yet) is folded into one segment. A daemon that ran
// through the year would have merged each week a day after it ended; the
// live phase then searches what it would. The merge runs unthrottled
// here (Pause 0): its time and CPU are the work a throttled daemon
// spreads over (1 + Pause) times as long.
func (r *soakRun) mergePhase(ctx context.Context) error {
	end := r.end
	st, err := store.Open(r.dir, store.Options{Logger: r.log, MapRSSLimit: r.o.MapRSSLimit, Clock: func() time.Time { return end }})
	if err != nil {
		return err
	}
	defer st.Close()
	before, err := segmentSummary(st)
	if err != nil {
		return err
	}
	fmt.Fprintf(r.out, "index maintenance: %s; merging the due partitions…\n", before)
	r.maxRSS, r.maxAnon, r.maxSplit = 0, 0, rssSplit{}
	start, use0 := time.Now(), readUsage()
	n := 0
	for {
		m, ok, err := st.MergeIndex(ctx, store.MergeOptions{})
		if err != nil {
			return fmt.Errorf("index maintenance: %w", err)
		}
		r.sampleRSS()
		if !ok {
			break
		}
		n++
		r.log.Debug().Str("week", m.Week).Int("before", m.SegmentsBefore).Int("after", m.SegmentsAfter).Dur("took", m.Took).Msg("soak: partition merged")
	}
	took, use := time.Since(start), readUsage().since(use0)
	after, err := segmentSummary(st)
	if err != nil {
		return err
	}
	fmt.Fprintf(r.out, "index maintenance: %d partitions merged in %s (CPU %s, %.2f cores); after: %s; max RSS %s (anonymous %s)\n\n",
		n, took.Round(time.Millisecond), use.cpu.Round(time.Millisecond), use.cpu.Seconds()/max(took.Seconds(), 1e-9), after, mib(r.maxRSS), mib(r.maxAnon))
	return nil
}

// segmentSummary describes the partitions' segments: how many partitions,
// segments in all, and the fewest, median and most per partition.
func segmentSummary(st *store.Store) (string, error) {
	parts, err := st.IndexSegments()
	if err != nil {
		return "", err
	}
	if len(parts) == 0 {
		return "no partitions", nil
	}
	counts := make([]int, len(parts))
	total := 0
	for i, p := range parts {
		counts[i] = p.Segments + p.InMemory
		total += counts[i]
	}
	slices.Sort(counts)
	return fmt.Sprintf("%d partitions, %d segments (per partition min %d, median %d, max %d; newest %s: %d)",
		len(parts), total, counts[0], counts[len(counts)/2], counts[len(counts)-1], parts[0].Week, parts[0].Segments+parts[0].InMemory), nil
}
