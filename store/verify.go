package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Verify limits and defaults.
const (
	verifyBatch       = 2000 // records read per read transaction
	verifySampleHours = 48   // rollup hours recounted
	maxProblems       = 200  // problems kept in a report (the count goes on)
)

// VerifyOptions tune Verify. The zero value is usable.
type VerifyOptions struct {
	Batch       int           // records per read transaction (default 2,000)
	SampleHours int           // rollup hours recounted from their facts (default 48)
	Pause       time.Duration // sleep between transactions (the daemon's low priority)
}

// Problem is one piece of damage Verify found.
type Problem struct {
	Bucket string `json:"bucket"`        // "file", "bbolt", or the bucket's name
	Key    string `json:"key,omitempty"` // the record's key, printable
	What   string `json:"what"`
}

func (p Problem) String() string {
	if p.Key == "" {
		return p.Bucket + ": " + p.What
	}
	return p.Bucket + " " + p.Key + ": " + p.What
}

// VerifyReport is what Verify checked and found.
type VerifyReport struct {
	Path        string        `json:"path"`
	Started     time.Time     `json:"started"`
	Took        time.Duration `json:"took"`
	Mentions    uint64        `json:"mentions"`     // records of the mentions log decoded
	IDs         uint64        `json:"ids"`          // byid entries checked
	Times       uint64        `json:"times"`        // bytime entries checked
	HoursSample int           `json:"hours_sample"` // rollup hours recounted
	// CountersChecked is false when the store changed during the walk
	// (a live daemon ingesting): the counters could not be compared.
	CountersChecked bool      `json:"counters_checked"`
	Problems        []Problem `json:"problems"`      // at most 200
	ProblemCount    int       `json:"problem_count"` // all of them
}

// OK reports whether nothing was found.
func (r *VerifyReport) OK() bool { return r.ProblemCount == 0 }

func (r *VerifyReport) add(bucket string, key []byte, format string, a ...any) {
	r.ProblemCount++
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, Problem{Bucket: bucket, Key: printableKey(key), What: fmt.Sprintf(format, a...)})
	}
}

// printableKey shows an 8-byte key as its number (a sequence), text as
// quoted text and anything else in hex.
func printableKey(k []byte) string {
	switch {
	case k == nil:
		return ""
	case len(k) == 8:
		return fmt.Sprintf("seq %d", u64(k))
	case len(k) == 16:
		return fmt.Sprintf("%x (seq %d)", k[:8], u64(k[8:]))
	}
	s := string(k)
	for _, r := range s {
		if r < 0x20 || r == 0xfffd {
			return fmt.Sprintf("%x", k)
		}
	}
	return fmt.Sprintf("%q", s)
}

// VerifyRecord is the summary of the last verify, kept in the meta bucket
// and shown by status.
type VerifyRecord struct {
	At       time.Time     `json:"at"`
	Took     time.Duration `json:"took"`
	Mentions uint64        `json:"mentions"`
	Problems int           `json:"problems"`
	First    []string      `json:"first,omitempty"` // the first few problems
}

var keyVerify = []byte("verify_last")

// VerifyFile checks the database of a data dir no daemon is using; the
// summary is recorded in its meta bucket (unless the file is too damaged
// to write). A truncated file, or one with both meta pages damaged, is
// reported without being mapped.
func VerifyFile(ctx context.Context, dir string, opts VerifyOptions, sopts Options) (VerifyReport, error) {
	path := filepath.Join(dir, dbFile)
	rep := VerifyReport{Path: path, Started: time.Now()}
	if sopts.Clock != nil {
		rep.Started = sopts.Clock()
	}
	if sopts.LockTimeout <= 0 {
		sopts.LockTimeout = 2 * time.Second
	}
	if _, err := os.Stat(path); err != nil {
		return rep, fmt.Errorf("store: verify: %w", err)
	}
	fc, err := checkDBFile(path)
	for _, p := range fc.problems {
		rep.add("file", nil, "%s (bbolt falls back to the other meta page, an earlier commit)", p)
	}
	if err != nil {
		rep.add("file", nil, "%s", strings.TrimPrefix(err.Error(), ErrDamaged.Error()+": "))
		return rep, nil
	}
	db, err := openDB(path, sopts.LockTimeout)
	if err != nil {
		if errors.Is(err, ErrDamaged) {
			rep.add("bbolt", nil, "cannot open: %v", err)
			return rep, nil
		}
		return rep, fmt.Errorf("store: verify: %w", err)
	}
	defer db.Close()
	if err := verifyDB(ctx, db, &rep, opts); err != nil {
		return rep, err
	}
	rep.Took = time.Since(rep.Started)
	if sopts.Clock != nil {
		rep.Took = sopts.Clock().Sub(rep.Started)
	}
	if err := recordVerify(db, &rep); err != nil {
		sopts.Logger.Warn().Err(err).Msg("verify: could not record the result in the database")
	}
	return rep, nil
}

// Verify checks the open store in short read transactions (commits go on
// between them) and records the summary.
func (s *Store) Verify(ctx context.Context, opts VerifyOptions) (VerifyReport, error) {
	rep := VerifyReport{Path: filepath.Join(s.dir, dbFile), Started: s.clock()}
	if s.closed.Load() {
		return rep, errClosed
	}
	fc, err := checkDBFile(rep.Path)
	for _, p := range fc.problems {
		rep.add("file", nil, "%s (bbolt falls back to the other meta page, an earlier commit)", p)
	}
	if err != nil {
		rep.add("file", nil, "%s", strings.TrimPrefix(err.Error(), ErrDamaged.Error()+": "))
	}
	if err := verifyDB(ctx, s.db, &rep, opts); err != nil {
		return rep, err
	}
	rep.Took = s.clock().Sub(rep.Started)
	if err := recordVerify(s.db, &rep); err != nil {
		s.log.Warn().Err(err).Msg("verify: could not record the result in the database")
	}
	return rep, nil
}

// LastVerify returns the recorded summary of the last verify, nil if none.
func (s *Store) LastVerify() *VerifyRecord {
	var rec *VerifyRecord
	_ = s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keyVerify); v != nil {
			var r VerifyRecord
			if json.Unmarshal(v, &r) == nil {
				rec = &r
			}
		}
		return nil
	})
	return rec
}

func recordVerify(db *bolt.DB, rep *VerifyReport) error {
	rec := VerifyRecord{At: rep.Started, Took: rep.Took, Mentions: rep.Mentions, Problems: rep.ProblemCount}
	for i := 0; i < len(rep.Problems) && i < 5; i++ {
		rec.First = append(rec.First, rep.Problems[i].String())
	}
	v, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMeta)
		if b == nil {
			return errors.New("no meta bucket")
		}
		return b.Put(keyVerify, v)
	})
}

// verifyDB runs every check; a panic (a damaged page) is a problem, not a
// crash.
func verifyDB(ctx context.Context, db *bolt.DB, rep *VerifyReport, opts VerifyOptions) (err error) {
	if opts.Batch <= 0 {
		opts.Batch = verifyBatch
	}
	if opts.SampleHours <= 0 {
		opts.SampleHours = verifySampleHours
	}
	defer func() {
		if perr := err; perr != nil && errors.Is(perr, errPanic) {
			rep.add("bbolt", nil, "reading a page failed: %v", perr)
			err = nil
		}
	}()
	defer guard("verify", &err)()
	v := verifier{db: db, rep: rep, opts: opts, brands: map[string]uint64{}, networks: map[string]uint64{}}
	if !v.checkPages() {
		return nil // the walks below would read the damaged pages
	}
	before, ok := v.snapshot()
	if !ok {
		return nil
	}
	for _, step := range []func(context.Context) error{v.walkMentions, v.walkIDs, v.walkTimes, v.walkPhrases} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	if after, _ := v.snapshot(); after == before {
		rep.CountersChecked = true
		v.checkCounters()
	}
	return v.recountSample(ctx)
}

// verifier holds one verify's walk state.
type verifier struct {
	db    *bolt.DB
	rep   *VerifyReport
	opts  VerifyOptions
	hours []time.Time // sampled hours for the rollup recount

	total            uint64
	brands, networks map[string]uint64
}

// checkPages runs bbolt's own consistency check (every page reachable once,
// no page both used and free, keys in order) in one writable transaction,
// rolled back: bbolt's Check reads the freelist unlocked, so in a read-only
// transaction no writer may run beside it (its documentation; the race
// detector caught the store's indexer committing during a verify). Commits
// wait for the check.
func (v *verifier) checkPages() bool {
	ok := true
	tx, err := v.db.Begin(true)
	if err != nil {
		v.rep.add("bbolt", nil, "page check not run: %v", err)
		return false
	}
	defer func() { _ = tx.Rollback() }()
	for err := range tx.Check() {
		v.rep.add("bbolt", nil, "%v", err)
		ok = false
	}
	for _, b := range [][]byte{bucketMeta, bucketMentions, bucketByID, bucketByTime, bucketCounts} {
		if tx.Bucket(b) == nil {
			v.rep.add(string(b), nil, "bucket missing")
			ok = false
		}
	}
	return ok
}

// snapshot identifies the store's state: the last sequence, the counted
// total and the prune cut-off. Equal snapshots around the walks mean
// nothing was committed or pruned meanwhile.
func (v *verifier) snapshot() (string, bool) {
	var s string
	err := v.db.View(func(tx *bolt.Tx) error {
		s = fmt.Sprintf("%d/%x/%x", tx.Bucket(bucketMentions).Sequence(),
			tx.Bucket(bucketCounts).Get(keyTotal), tx.Bucket(bucketMeta).Get(keyPrunedBefore))
		return nil
	})
	return s, err == nil
}

// chunks walks bucket in read transactions of opts.Batch records, calling
// fn for each record with the transaction it was read in.
func (v *verifier) chunks(ctx context.Context, bucket []byte, fn func(tx *bolt.Tx, k, val []byte)) error {
	var after []byte
	for first := true; ; first = false {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("store: verify: %w", err)
		}
		if !first && v.opts.Pause > 0 {
			t := time.NewTimer(v.opts.Pause)
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("store: verify: %w", ctx.Err())
			case <-t.C:
			}
		}
		n := 0
		err := v.db.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucket).Cursor()
			k, val := c.First()
			if after != nil {
				k, val = c.Seek(after)
				if k != nil && bytes.Equal(k, after) {
					k, val = c.Next()
				}
			}
			for ; k != nil && n < v.opts.Batch; k, val = c.Next() {
				fn(tx, k, val)
				after = append(after[:0], k...)
				n++
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: verify: %w", err)
		}
		if n < v.opts.Batch {
			return nil
		}
	}
}

// walkMentions decodes every mention and checks that byid and bytime point
// back at it; it counts brands and networks and samples hours.
func (v *verifier) walkMentions(ctx context.Context) error {
	var last uint64
	_ = v.db.View(func(tx *bolt.Tx) error { last = tx.Bucket(bucketMentions).Sequence(); return nil })
	stride := max(last/uint64(v.opts.SampleHours), 1)
	const b = "mentions"
	return v.chunks(ctx, bucketMentions, func(tx *bolt.Tx, k, val []byte) {
		v.rep.Mentions++
		if len(k) != 8 {
			v.rep.add(b, k, "key of %d bytes, want an 8-byte sequence", len(k))
			return
		}
		seq := u64(k)
		if seq > last {
			return // committed after the walk began
		}
		var m Mention
		if err := json.Unmarshal(val, &m); err != nil {
			v.rep.add(b, k, "record does not decode: %v", err)
			return
		}
		if m.ID == "" {
			v.rep.add(b, k, "record has no id")
			return
		}
		switch got := tx.Bucket(bucketByID).Get([]byte(m.ID)); {
		case got == nil:
			v.rep.add("byid", []byte(m.ID), "missing: mention seq %d is not reachable by its id", seq)
		case u64(got) != seq:
			v.rep.add("byid", []byte(m.ID), "points at seq %d, but the mention with this id is seq %d", u64(got), seq)
		}
		if tx.Bucket(bucketByTime).Get(timeKey(m.Published, seq)) == nil {
			v.rep.add("bytime", timeKey(m.Published, seq), "missing: mention seq %d (published %s) is not in the time index", seq, m.Published.UTC().Format(time.RFC3339))
		}
		v.total++
		seen := map[string]bool{}
		for _, br := range m.Brands {
			if br != "" && !seen[br] {
				seen[br] = true
				v.brands[br]++
			}
		}
		if m.Network != "" {
			v.networks[m.Network]++
		}
		if seq%stride == 0 && len(v.hours) < v.opts.SampleHours {
			v.hours = append(v.hours, m.Published.UTC().Truncate(time.Hour))
		}
	})
}

// walkIDs checks that every byid entry points at a mention with that id.
func (v *verifier) walkIDs(ctx context.Context) error {
	return v.chunks(ctx, bucketByID, func(tx *bolt.Tx, k, val []byte) {
		v.rep.IDs++
		if len(val) != 8 {
			v.rep.add("byid", k, "value of %d bytes, want an 8-byte sequence", len(val))
			return
		}
		rec := tx.Bucket(bucketMentions).Get(val)
		if rec == nil {
			v.rep.add("byid", k, "points at seq %d, which is not in the mentions log", u64(val))
			return
		}
		var id struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(rec, &id) == nil && id.ID != string(k) {
			v.rep.add("byid", k, "points at seq %d, whose mention is %q", u64(val), id.ID)
		}
	})
}

// walkTimes checks that every bytime entry names a stored mention.
func (v *verifier) walkTimes(ctx context.Context) error {
	return v.chunks(ctx, bucketByTime, func(tx *bolt.Tx, k, _ []byte) {
		v.rep.Times++
		if len(k) != 16 {
			v.rep.add("bytime", k, "key of %d bytes, want 16 (time + sequence)", len(k))
			return
		}
		if tx.Bucket(bucketMentions).Get(k[8:]) == nil {
			v.rep.add("bytime", k, "names seq %d, which is not in the mentions log", u64(k[8:]))
		}
	})
}

// checkCounters compares the counters behind Stats with the recount.
func (v *verifier) checkCounters() {
	_ = v.db.View(func(tx *bolt.Tx) error {
		want := map[string]uint64{string(keyTotal): v.total}
		for b, n := range v.brands {
			want[countBrandPrefix+b] = n
		}
		for nw, n := range v.networks {
			want[countNetworkPrefix+nw] = n
		}
		got := map[string]uint64{}
		_ = tx.Bucket(bucketCounts).ForEach(func(k, val []byte) error {
			got[string(k)] = u64(val)
			return nil
		})
		keys := make([]string, 0, len(want)+len(got))
		for k := range want {
			keys = append(keys, k)
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			if got[k] != want[k] {
				v.rep.add("counts", []byte(k), "counter says %d, the mentions log holds %d", got[k], want[k])
			}
		}
		return nil
	})
}

// recountSample recounts the rollup cells of the sampled hours from their
// facts, with the rule Commit uses (cellOf), one read transaction per hour.
func (v *verifier) recountSample(ctx context.Context) error {
	slices.SortFunc(v.hours, func(a, b time.Time) int { return a.Compare(b) })
	v.hours = slices.Compact(v.hours)
	v.rep.HoursSample = len(v.hours)
	for _, h := range v.hours {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("store: verify: %w", err)
		}
		err := v.db.View(func(tx *bolt.Tx) error {
			facts, cells := tx.Bucket(bucketFacts), tx.Bucket(bucketCells)
			if facts == nil || cells == nil {
				return nil
			}
			want := cellSums{}
			byNet := map[string][]*Fact{}
			c := facts.Cursor()
			hi := timeKey(h.Add(time.Hour), 0)
			for k, val := c.Seek(timeKey(h, 0)); k != nil && bytes.Compare(k, hi) < 0; k, val = c.Next() {
				f, err := decodeFact(k, val)
				if err != nil {
					v.rep.add("rollup_facts", k, "does not decode: %v", err)
					continue
				}
				one := cellOf(f)
				want.addFact(f, &one)
				byNet[f.Network] = append(byNet[f.Network], f)
			}
			v.recountHourSums(tx, h, byNet)
			prefix := hourKey(h)
			got := map[string]*Cell{}
			cc := cells.Cursor()
			for k, val := cc.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, val = cc.Next() {
				var cell Cell
				if err := cell.decode(val); err != nil {
					v.rep.add("rollup_cells", k, "does not decode: %v", err)
					continue
				}
				got[string(k)] = &cell
			}
			for k, w := range want {
				if g := got[k]; g == nil {
					v.rep.add("rollup_cells", []byte(k), "missing: %d mentions of hour %s recounted", w.Count, h.Format(time.RFC3339))
				} else if what := cellDiff(g, w); what != "" {
					v.rep.add("rollup_cells", []byte(k), "%s (hour %s)", what, h.Format(time.RFC3339))
				}
			}
			for k, g := range got {
				if want[k] == nil && g.Count != 0 {
					v.rep.add("rollup_cells", []byte(k), "counts %d mentions, the recount none (hour %s)", g.Count, h.Format(time.RFC3339))
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: verify: %w", err)
		}
	}
	return nil
}

// recountHourSums compares the stored hour sums of hour h with the sums of
// its facts (byNet, per network), with the rule recomputeHour uses
// (sumFacts): a sum is stored in canonical form, so equal sums encode to
// equal bytes.
func (v *verifier) recountHourSums(tx *bolt.Tx, h time.Time, byNet map[string][]*Fact) {
	b := tx.Bucket(bucketHourSums)
	if b == nil {
		return
	}
	for net, fs := range byNet {
		key := hourSumKey(hourNet{hourOf(h), net})
		got := b.Get(key)
		switch {
		case len(got) == 0:
			v.rep.add("rollup_hoursums", key, "missing: %d facts of hour %s on %s recounted", len(fs), h.Format(time.RFC3339), net)
		case !bytes.Equal(got, sumFacts(h, net, fs).encode()):
			v.rep.add("rollup_hoursums", key, "differs from the recount of its %d facts (hour %s, %s)", len(fs), h.Format(time.RFC3339), net)
		}
	}
	prefix := hourKey(h)
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if net := string(k[len(prefix):]); byNet[net] == nil {
			v.rep.add("rollup_hoursums", k, "holds %s's hour %s, which has no facts", net, h.Format(time.RFC3339))
		}
	}
}

// cellDiff names the figures cellOf derives that differ between a stored
// cell and its recount ("" when none).
func cellDiff(got, want *Cell) string {
	var out []string
	for _, f := range []struct {
		name      string
		got, want int64
	}{
		{"count", got.Count, want.Count}, {"positive", got.Positive, want.Positive},
		{"neutral", got.Neutral, want.Neutral}, {"negative", got.Negative, want.Negative},
		{"engagement", got.Engagement, want.Engagement}, {"reach", got.Reach, want.Reach},
		{"reach_known", got.ReachKnown, want.ReachKnown}, {"exposure", got.Exposure, want.Exposure},
		{"exposure_known", got.ExposureKnown, want.ExposureKnown}, {"replies", got.Replies, want.Replies},
		{"response_seconds", got.ResponseSeconds, want.ResponseSeconds},
	} {
		if f.got != f.want {
			out = append(out, fmt.Sprintf("%s %d, recount %d", f.name, f.got, f.want))
		}
	}
	if math.Abs(got.SentimentSum-want.SentimentSum) > 1e-5*float64(want.Count+1) {
		out = append(out, fmt.Sprintf("sentiment sum %.6f, recount %.6f", got.SentimentSum, want.SentimentSum))
	}
	return strings.Join(out, "; ")
}
