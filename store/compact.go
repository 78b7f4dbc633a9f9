package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// compactTxMax is how many bytes of keys and values one compaction
// transaction copies before it commits.
const compactTxMax = 64 << 20

// compactSuffix names the copy Compact writes before swapping it in.
const compactSuffix = ".compact"

// CompactResult tells what Compact did.
type CompactResult struct {
	Path          string // the database file
	Before, After int64  // file size in bytes
	Mentions      uint64 // mentions copied
	Took          time.Duration
}

// Compact rewrites the bbolt file of the data dir without its free pages:
// bbolt never shrinks its file, so space freed by Prune is only reused, not
// returned. The live data is copied into dir/earshot.db.compact, which is
// checked (schema, same number of records in every bucket), fsynced and then
// renamed over earshot.db; the directory is fsynced after the rename. The
// data dir must not be in use: Compact holds the file lock throughout and
// fails after opts.LockTimeout when a daemon has it. The search index is not
// touched (bleve merges away deleted documents by itself; Reindex rebuilds it
// compactly). A crash before the rename leaves the old file as it was; a
// stale .compact file is removed by the next Compact.
func Compact(dir string, opts Options) (_ CompactResult, err error) {
	defer guard("compact", &err)()
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = 2 * time.Second
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	start := opts.Clock()
	path := filepath.Join(dir, dbFile)
	res := CompactResult{Path: path}
	fi, err := os.Stat(path)
	if err != nil {
		return res, fmt.Errorf("store: compact: %w", err)
	}
	res.Before = fi.Size()
	src, err := openLocked(dir, path, opts.LockTimeout, false)
	if err != nil {
		return res, fmt.Errorf("store: compact: %w", err)
	}
	defer src.Close()
	before, err := checkEarshotDB(src)
	if err != nil {
		return res, fmt.Errorf("store: compact: %s: %w", path, err)
	}
	tmp := path + compactSuffix
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return res, fmt.Errorf("store: compact: remove stale copy: %w", err)
	}
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: opts.LockTimeout})
	if err != nil {
		return res, fmt.Errorf("store: compact: create %s: %w", tmp, err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = dst.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err := bolt.Compact(dst, src, compactTxMax); err != nil {
		return res, fmt.Errorf("store: compact: copy: %w", err)
	}
	after, err := checkEarshotDB(dst)
	if err != nil {
		return res, fmt.Errorf("store: compact: the copy fails its check: %w", err)
	}
	if after != before {
		return res, fmt.Errorf("store: compact: the copy holds %+v records, the original %+v", after, before)
	}
	if err := dst.Close(); err != nil {
		return res, fmt.Errorf("store: compact: close copy: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return res, fmt.Errorf("store: compact: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return res, fmt.Errorf("store: compact: install copy: %w", err)
	}
	ok = true
	if err := syncDir(dir); err != nil {
		return res, fmt.Errorf("store: compact: %w", err)
	}
	if fi, err := os.Stat(path); err == nil {
		res.After = fi.Size()
	}
	res.Mentions = before.mentions
	res.Took = opts.Clock().Sub(start)
	opts.Logger.Info().Str("path", path).Int64("before", res.Before).Int64("after", res.After).
		Dur("took", res.Took).Msg("database compacted")
	return res, nil
}

// openLocked opens a bbolt file with the data dir's lock, naming a running
// daemon in the error when the lock is taken.
func openLocked(dir, path string, timeout time.Duration, readOnly bool) (*bolt.DB, error) {
	if _, err := checkDBFile(path); err != nil {
		return nil, err
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, ReadOnly: readOnly})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("data dir %s is in use by another earshot process (stop the daemon first): %w", dir, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return f.Close()
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	return nil
}
