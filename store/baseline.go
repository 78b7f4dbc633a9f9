package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// BareIndexRate indexes ms into a new bleve index under dir (created, and
// removed afterwards) with the store's own mapping and document shape, in
// batches of batch documents from one writer, and returns documents per
// second. It is the baseline the soak and ingest benchmarks compare the
// full pipeline against: no bbolt, no watermark, no matching.
func BareIndexRate(ctx context.Context, dir string, ms []Mention, batch int) (float64, error) {
	if len(ms) == 0 {
		return 0, errors.New("store: bare index rate: no mentions")
	}
	if batch <= 0 {
		return 0, fmt.Errorf("store: bare index rate: batch %d must be positive", batch)
	}
	docs := make([]indexFields, len(ms))
	for i := range ms {
		docs[i] = fieldsOf(&ms[i])
	}
	path := filepath.Join(dir, "bare.bleve")
	if err := os.RemoveAll(path); err != nil {
		return 0, fmt.Errorf("store: bare index rate: %w", err)
	}
	idx, err := createIndex(path)
	if err != nil {
		return 0, fmt.Errorf("store: bare index rate: %w", err)
	}
	defer os.RemoveAll(path)
	start := time.Now()
	for i := 0; i < len(docs); i += batch {
		if err := ctx.Err(); err != nil {
			_ = idx.Close()
			return 0, fmt.Errorf("store: bare index rate: %w", err)
		}
		if err := indexInto(idx, docs[i:min(i+batch, len(docs))]); err != nil {
			_ = idx.Close()
			return 0, fmt.Errorf("store: bare index rate: %w", err)
		}
	}
	// Close flushes what bleve still holds in memory: part of the work.
	if err := idx.Close(); err != nil {
		return 0, fmt.Errorf("store: bare index rate: close: %w", err)
	}
	return float64(len(docs)) / time.Since(start).Seconds(), nil
}

// fieldsOf is the part of m the index sees, as the indexer decodes it from
// the log.
func fieldsOf(m *Mention) indexFields {
	return indexFields{
		ID: m.ID, Network: m.Network, Title: m.Title, Text: m.Text, Kind: m.Kind, Published: m.Published,
		Lang: m.Lang, Brands: m.Brands, EngagementTotal: m.EngagementTotal, SentimentLabel: m.SentimentLabel,
	}
}
