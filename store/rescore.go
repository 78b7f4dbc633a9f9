package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	bolt "go.etcd.io/bbolt"
)

// RescoreResult tells what one Rescore call changed.
type RescoreResult struct {
	Scanned  int  // mentions read
	Rescored int  // mentions scored by another model version, now by this one
	Changed  int  // ... of which the label or a brand's label changed
	Done     bool // no mention is left with another version
}

// Rescore re-scores, in one bbolt transaction, up to batch stored
// mentions whose SentimentModel is not version, in log order from seq
// after (0: the start); score must set Sentiment, SentimentLabel,
// BrandSentiment and SentimentModel (to version) from the text. Each
// mention is rewritten in the log, its fact replaced, and its rollup
// cells changed by the difference between the mention before and after,
// brand by brand (cellSums.addFactChange: the rule Commit adds and Prune
// takes away), so rollups follow and a rebuild gives the same cells.
// Mentions whose labels changed are re-indexed (the index filters by
// label). It returns the seq to continue from. The daemon calls it in
// the background after an upgrade until Done.
func (s *Store) Rescore(ctx context.Context, version string, after uint64, batch int, score func(*Mention)) (RescoreResult, uint64, error) {
	var res RescoreResult
	if s.closed.Load() {
		return res, after, errClosed
	}
	if batch <= 0 {
		batch = 500
	}
	next := after
	err := s.db.Update(func(tx *bolt.Tx) error {
		res, next = RescoreResult{}, after
		cells := cellSums{}
		var sums hourSums
		mentions, facts := tx.Bucket(bucketMentions), tx.Bucket(bucketFacts)
		c := mentions.Cursor()
		k, v := c.Seek(seqKey(after + 1))
		for ; k != nil && res.Scanned < batch; k, v = c.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			seq := u64(k)
			next = seq
			res.Scanned++
			var m Mention
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("decode seq %d: %w", seq, err)
			}
			if m.SentimentModel == version {
				continue
			}
			old := m
			old.BrandSentiment = maps.Clone(m.BrandSentiment)
			score(&m)
			res.Rescored++
			fkey := timeKey(m.Published, seq)
			var before *Fact
			if fv := facts.Get(fkey); fv != nil {
				var err error
				if before, err = decodeFact(fkey, fv); err != nil {
					return err
				}
			} else {
				before = factOf(&old, seq, parentInfo{})
			}
			afterF := factOf(&m, seq, parentInfo{Published: before.ParentPublished, Kind: before.ParentKind, Brands: before.ParentBrands})
			cells.addFactChange(before, afterF)
			val, err := m.appendJSON(make([]byte, 0, 512+len(m.Title)+len(m.Text)))
			if err != nil {
				return fmt.Errorf("encode mention %q: %w", m.ID, err)
			}
			if err := mentions.Put(k, val); err != nil {
				return err
			}
			if err := facts.Put(fkey, afterF.encode()); err != nil {
				return err
			}
			sums.touch(afterF)
			if old.SentimentLabel != m.SentimentLabel || !maps.Equal(old.BrandSentiment, m.BrandSentiment) {
				res.Changed++
				if err := tx.Bucket(bucketReindex).Put(seqKey(seq), nil); err != nil {
					return err
				}
			}
		}
		res.Done = k == nil
		return (&rollup{tx: tx, cells: cells, sums: sums, mods: s.mods}).flush()
	})
	if err != nil {
		if errors.Is(err, errClosed) {
			return RescoreResult{}, after, errClosed
		}
		return RescoreResult{}, after, fmt.Errorf("store: rescore: %w", err)
	}
	if res.Changed > 0 {
		s.kick()
	}
	return res, next, nil
}
