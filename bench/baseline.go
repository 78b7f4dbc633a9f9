package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/earshot/earshot/store"
)

// BareIndexRate indexes the mentions next yields (until it returns false)
// into a new bare index under dir (store.BareIndex: the store's own mapping
// and document shape; created, and removed afterwards) in batches of batch
// documents from one writer, and returns documents per second. It is the
// baseline the soak and ingest benchmarks compare the full pipeline
// against: no bbolt, no watermark, no matching.
//
// The mentions are taken from next while the clock runs, as the pipeline
// takes them from its sources: holding a million of them in memory first
// would also make the garbage collector run several times less often than
// in the pipeline, and flatter the baseline.
func BareIndexRate(ctx context.Context, dir string, next func() (store.Mention, bool), batch int) (float64, error) {
	if batch <= 0 {
		return 0, fmt.Errorf("bare index rate: batch %d must be positive", batch)
	}
	path := filepath.Join(dir, "bare.bleve")
	if err := os.RemoveAll(path); err != nil {
		return 0, fmt.Errorf("bare index rate: %w", err)
	}
	idx, err := store.CreateBareIndex(path)
	if err != nil {
		return 0, fmt.Errorf("bare index rate: %w", err)
	}
	defer os.RemoveAll(path)
	start := time.Now()
	n := 0
	docs := make([]store.Mention, 0, batch)
	for more := true; more; {
		docs = docs[:0]
		for len(docs) < batch {
			m, ok := next()
			if !ok {
				more = false
				break
			}
			docs = append(docs, m)
		}
		if len(docs) == 0 {
			break
		}
		if err := ctx.Err(); err != nil {
			_ = idx.Close()
			return 0, fmt.Errorf("bare index rate: %w", err)
		}
		if err := idx.Index(docs); err != nil {
			_ = idx.Close()
			return 0, fmt.Errorf("bare index rate: %w", err)
		}
		n += len(docs)
	}
	// Close flushes what bleve still holds in memory: part of the work.
	if err := idx.Close(); err != nil {
		return 0, fmt.Errorf("bare index rate: close: %w", err)
	}
	if n == 0 {
		return 0, errors.New("bare index rate: no mentions")
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
