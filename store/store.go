package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// schemaVersion is the bbolt layout version written in the meta bucket.
const schemaVersion = 1

// File names inside the data dir.
const (
	dbFile    = "earshot.db"
	indexDir  = "index" // one bleve index per ISO week: index/YYYY-Www.bleve
	newSuffix = ".new"
	oldSuffix = ".old"
)

// logFillPercent is how full bbolt packs the pages of the mentions log,
// whose keys only ever increase (bbolt's default, 0.5, suits random
// inserts and leaves an append-only bucket half empty).
const logFillPercent = 0.95

// Bucket and key names.
var (
	bucketMeta     = []byte("meta")
	bucketMentions = []byte("mentions") // seq → JSON mention: the log the index follows
	bucketByID     = []byte("byid")     // mention ID → seq
	bucketByTime   = []byte("bytime")   // published (8 bytes, sortable) + seq → nil
	bucketCursors  = []byte("cursors")  // source → cursor
	bucketCounts   = []byte("counts")   // "total", "b:"+brand, "n:"+network → uint64
	bucketBudgets  = []byte("budgets")  // budget key → day (YYYY-MM-DD) + used (8 bytes)

	keySchema    = []byte("schema")
	keyWatermark = []byte("watermark") // last seq indexed into bleve
	keyTotal     = []byte("total")
)

// ErrBadRequest is wrapped by Search errors caused by an invalid request.
var ErrBadRequest = errors.New("bad request")

// errClosed is returned by calls on a closed Store.
var errClosed = errors.New("store: closed")

// Options tune a Store. The zero value is usable.
type Options struct {
	Logger      zerolog.Logger
	Clock       func() time.Time // nil = time.Now
	LockTimeout time.Duration    // bbolt file lock wait; default 2s
	BatchSize   int              // bleve batch, default 1000
	// NoIndexer keeps the background indexer off while the Store is open
	// (bulk loads, benchmarks): search sees the index as it was, Sync
	// fails, and the next Open without it catches up from the watermark.
	NoIndexer bool
	// MinFree is how many bytes must stay free on the data dir's
	// filesystem: below it writes pause (WriteState) until it is free
	// again. 0 means DefaultMinFree; at least MinMinFree. The reserve is
	// what keeps bleve from writing into a full disk (bleve 2.6 can panic
	// in its own goroutines after a failed persist, which no recover
	// reaches).
	MinFree int64
	// MapRSSLimit is the process's file-backed resident size (RssFile)
	// above which the store releases the pages of its memory maps (bbolt's
	// file, bleve's segments; maps.go): 0 means DefaultMapRSSLimit, < 0
	// never.
	MapRSSLimit int64
	// IndexGather is how long the indexer waits for more commits to fill
	// a batch (indexer_gather.go): 0 means DefaultIndexGather, < 0 never.
	IndexGather time.Duration
	// SearchPriority is how many nice steps above the process's own the
	// threads of a search run (priority.go): 0 means
	// DefaultSearchPriority, < 0 never.
	SearchPriority int
}

// Store keeps mentions in bbolt and a derived bleve index. It is safe for
// concurrent use.
type Store struct {
	dir   string
	log   zerolog.Logger
	clock func() time.Time
	batch int
	db    *bolt.DB

	idxMu sync.RWMutex // guards idx, the monthly partitions (swapped by Reindex)
	idx   *partSet

	indexMu   sync.Mutex // serialises index writes + watermark updates
	maintMu   sync.Mutex // serialises Prune, Reindex and RebuildRollups
	mergeMu   sync.Mutex // serialises MergeIndex (index_merge.go): one partition at a time
	mergeHook func()     // tests: called when MergeIndex has chosen a partition
	watermark atomic.Uint64
	lastSeq   atomic.Uint64
	feed      feed          // committed mentions handed to the indexer in memory
	lagLimit  uint64        // Commit waits while the index lags by more (0: never)
	maxWait   time.Duration // longest such wait per Commit

	space    space      // the disk-full pause
	resumeMu sync.Mutex // serialises attempts to resume

	progressMu sync.Mutex
	progress   chan struct{} // closed and replaced whenever the watermark moves
	lastErr    error         // last indexer error, under progressMu

	wake      chan struct{}
	flush     chan struct{} // Sync: index what waits now (indexer_gather.go)
	gatherFor time.Duration // Options.IndexGather after defaults
	stop      chan struct{}
	done      chan struct{}
	trimDone  chan struct{} // closed when the map trimmer has stopped
	mapLimit  int64         // Options.MapRSSLimit after defaults (maps.go)
	closeOnce sync.Once
	closeErr  error
	closed    atomic.Bool

	hook atomic.Pointer[hookPair] // SetCommitHook (outbox.go)

	gate *searchGate     // searches in flight (index_gate.go)
	prio *searchPriority // the raised priority of searches (priority.go)
	mods *modTracker     // the days each change touched (modified.go)
}

// Open opens (creating if needed) the store in dir: bbolt at dir/earshot.db
// and bleve at dir/index.bleve. A missing, corrupt or outdated index is
// rebuilt from bbolt; mentions newer than the index watermark are replayed in
// the background.
func Open(dir string, opts Options) (*Store, error) {
	if dir == "" {
		return nil, errors.New("store: empty data dir")
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = 2 * time.Second
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("store: create data dir: %w", err)
	}
	if opts.MinFree == 0 {
		opts.MinFree = DefaultMinFree
	}
	opts.MinFree = max(opts.MinFree, MinMinFree)
	dbPath := filepath.Join(dir, dbFile)
	if _, err := os.Stat(dbPath); err == nil {
		fc, err := checkDBFile(dbPath)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		for _, p := range fc.problems {
			opts.Logger.Warn().Str("path", dbPath).Str("problem", p).
				Msg("store: damaged meta page; bbolt uses the other one (an earlier commit); run `earshot verify`")
		}
	}
	db, err := openDB(dbPath, opts.LockTimeout)
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("store: data dir %s is in use by another earshot process (lock wait %s): %w", dir, opts.LockTimeout, err)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) { // the path is in the error already
			return nil, fmt.Errorf("store: %w", err)
		}
		return nil, fmt.Errorf("store: open %s: %w", dbPath, err)
	}
	s := &Store{
		dir: dir, log: opts.Logger, clock: opts.Clock, batch: opts.BatchSize, db: db,
		space:    space{minFree: opts.MinFree},
		progress: make(chan struct{}),
		gate:     newSearchGate(),
		prio:     newSearchPriority(searchSteps(opts.SearchPriority), osThreadPriority{}),
		mods:     newModTracker(),
		wake:     make(chan struct{}, 1),
		flush:    make(chan struct{}, 1),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
		trimDone: make(chan struct{}),
	}
	if err := s.initDB(); err != nil {
		_ = db.Close()
		if isNoSpace(err) {
			return nil, fmt.Errorf("store: initialise %s: %w (free some space on the data dir's filesystem and start again)", dbPath, err)
		}
		return nil, fmt.Errorf("store: initialise %s: %w", dbPath, err)
	}
	s.mapLimit = opts.MapRSSLimit
	if s.mapLimit == 0 {
		s.mapLimit = DefaultMapRSSLimit
	}
	if err := s.ensureRollups(); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := s.openIndex(); err != nil {
		_ = db.Close()
		return nil, err
	}
	if _, err := s.drainUnindex(); err != nil { // deletions a crashed Prune left for bleve
		s.log.Warn().Err(err).Msg("pruned mentions not yet removed from the search index; Prune retries")
	}
	if s.mapLimit > 0 {
		go s.runMapTrimmer(s.mapLimit)
	} else {
		close(s.trimDone)
	}
	if opts.NoIndexer {
		close(s.done) // feed.max stays 0: nothing consumes it
		return s, nil
	}
	s.feed.max = feedMaxDocs
	s.lagLimit, s.maxWait = throttleLag, maxThrottle
	if s.gatherFor = opts.IndexGather; s.gatherFor == 0 {
		s.gatherFor = DefaultIndexGather
	}
	go s.runIndexer()
	s.kick()
	return s, nil
}

// initDB creates the buckets, checks the schema version and loads the
// watermark and last sequence.
func (s *Store) initDB() (err error) {
	defer guard("open", &err)()
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketMentions, bucketByID, bucketByTime, bucketCursors, bucketCounts, bucketBudgets, bucketCells, bucketFacts, bucketTerms, bucketLinks, bucketDigests, bucketReplies, bucketOrphans, bucketCollection, bucketUnindex, bucketTombstones, bucketRefreshDue, bucketReindex, bucketHourSums} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("store: create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keySchema); v != nil {
			n, err := strconv.Atoi(string(v))
			if err != nil {
				return fmt.Errorf("store: unreadable schema version %q in %s", v, s.dir)
			}
			if n > schemaVersion {
				return fmt.Errorf("store: data dir %s has schema version %d, newer than this build's %d: upgrade earshot", s.dir, n, schemaVersion)
			}
		} else if err := meta.Put(keySchema, []byte(strconv.Itoa(schemaVersion))); err != nil {
			return err
		}
		last := tx.Bucket(bucketMentions).Sequence()
		wm := u64(meta.Get(keyWatermark))
		if wm > last {
			wm = 0 // cannot be: index is ahead of the log it follows; rebuild
		}
		s.lastSeq.Store(last)
		s.watermark.Store(wm)
		return nil
	})
}

// openDB opens the bbolt file, turning a panic on a damaged page into an
// error.
func openDB(path string, timeout time.Duration) (db *bolt.DB, err error) {
	defer guard("open "+path, &err)()
	return bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
}

// Close stops the indexer after it has indexed everything committed, then
// closes bleve and bbolt. Calling Close again returns the first result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		close(s.stop)
		<-s.done
		<-s.trimDone
		s.idxMu.Lock()
		var errs []error
		if s.idx != nil {
			if err := s.idx.Close(); err != nil {
				errs = append(errs, fmt.Errorf("store: close index: %w", err))
			}
			s.idx = nil
		}
		s.idxMu.Unlock()
		if err := s.db.Close(); err != nil {
			errs = append(errs, fmt.Errorf("store: close db: %w", err))
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// seqKey encodes a sequence number as a sortable key.
func seqKey(seq uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	return k[:]
}

// timeKey encodes published time + seq so keys sort by time (negative
// UnixNano values included, by flipping the sign bit).
func timeKey(t time.Time, seq uint64) []byte {
	var k [16]byte
	binary.BigEndian.PutUint64(k[:8], uint64(t.UnixNano())^(1<<63))
	binary.BigEndian.PutUint64(k[8:], seq)
	return k[:]
}

// u64 decodes an 8-byte big-endian value; anything else reads as 0.
func u64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}
