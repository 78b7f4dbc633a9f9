package store

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
)

// BareIndex is a bleve index with the store's own mapping and document
// shape and nothing else: no bbolt, no watermark, no matching. It is the
// baseline the soak and ingest benchmarks (package bench) compare the full
// pipeline against.
type BareIndex struct {
	idx  bleve.Index
	docs []indexFields
}

// CreateBareIndex creates a new bare index at path (which must not exist).
func CreateBareIndex(path string) (*BareIndex, error) {
	idx, err := createIndex(path)
	if err != nil {
		return nil, fmt.Errorf("store: bare index: %w", err)
	}
	return &BareIndex{idx: idx}, nil
}

// Index indexes ms in one batch, as the indexer does from the log.
func (b *BareIndex) Index(ms []Mention) error {
	b.docs = b.docs[:0]
	for i := range ms {
		b.docs = append(b.docs, fieldsOf(&ms[i]))
	}
	if err := indexInto(b.idx, b.docs); err != nil {
		return fmt.Errorf("store: bare index: %w", err)
	}
	return nil
}

// Close flushes what bleve still holds in memory and closes the index.
func (b *BareIndex) Close() error { return b.idx.Close() }

// fieldsOf is the part of m the index sees, as the indexer decodes it from
// the log.
func fieldsOf(m *Mention) indexFields {
	return indexFields{
		ID: m.ID, Network: m.Network, Title: m.Title, Text: m.Text, Kind: m.Kind, Published: m.Published,
		Lang: m.Lang, Brands: m.Brands, EngagementTotal: m.EngagementTotal, SentimentLabel: m.SentimentLabel,
		BrandSentiment: m.BrandSentiment, Topics: m.Topics, ReplyTo: m.ReplyTo,
	}
}
