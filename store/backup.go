package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Snapshot is a consistent copy of the database, read from its start;
// Close frees it. A store's snapshot is an unlinked temporary file, so
// reading it holds nothing in the store.
type Snapshot struct {
	io.ReadCloser
	Size int64 // bytes
}

// tempFile is a temporary file that disappears when closed.
type tempFile struct{ *os.File }

func (t tempFile) Close() error {
	err := t.File.Close()
	_ = os.Remove(t.Name()) // already unlinked where the OS allows it
	return err
}

// Snapshot copies the bbolt database into a temporary file in the data dir
// under one read transaction, so the copy is the database as of one commit
// (mentions, cursors, counters and rollups agree). The transaction lasts
// only as long as a local file copy: a slow or stalled consumer of the
// snapshot holds the file, never the store (a read transaction open while
// a commit must grow the file would block that commit and every one after
// it). The file is unlinked at once where the OS allows, so a crash leaves
// nothing behind. The search index is derived and not included. ctx aborts
// the copy.
func (s *Store) Snapshot(ctx context.Context) (*Snapshot, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	f, err := os.CreateTemp(s.dir, "backup-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("store: backup: temporary file: %w", err)
	}
	_ = os.Remove(f.Name()) // unlinked: the open file stays readable
	snap := &Snapshot{ReadCloser: tempFile{f}}
	err = s.db.View(func(tx *bolt.Tx) error {
		var err error
		snap.Size, err = tx.WriteTo(ctxWriter{ctx: ctx, w: f})
		return err
	})
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		_ = snap.Close()
		if errors.Is(err, berrors.ErrDatabaseNotOpen) {
			return nil, errClosed
		}
		if cerr := ctx.Err(); cerr != nil { // bbolt does not wrap the writer's error
			return nil, fmt.Errorf("store: backup: %w", cerr)
		}
		return nil, fmt.Errorf("store: backup: %w", err)
	}
	return snap, nil
}

// Backup writes a consistent snapshot of the database to w while the store
// keeps running (see Snapshot: w may be slow, the store does not wait for
// it). It returns the bytes written; ctx aborts the copy.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return 0, err
	}
	defer snap.Close()
	n, err := io.Copy(ctxWriter{ctx: ctx, w: w}, snap)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return n, fmt.Errorf("store: backup: %w", cerr)
		}
		return n, fmt.Errorf("store: backup: %w", err)
	}
	return n, nil
}

// BackupFile writes a snapshot of the database of a data dir no daemon is
// using (it opens the file read-only, with a shared lock).
func BackupFile(dir string, w io.Writer, opts Options) (int64, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = 2 * time.Second
	}
	path := filepath.Join(dir, dbFile)
	if _, err := os.Stat(path); err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	db, err := openLocked(dir, path, opts.LockTimeout, true)
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	defer db.Close()
	if _, err := checkEarshotDB(db); err != nil {
		return 0, fmt.Errorf("store: backup: %s: %w", path, err)
	}
	var n int64
	err = db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("store: backup: %w", err)
	}
	return n, nil
}

// ctxWriter fails writes once ctx is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// BackupInfo describes a verified backup file.
type BackupInfo struct {
	Schema   int
	Mentions uint64 // mentions in the log
	LastSeq  uint64 // last sequence committed
	Bytes    int64
}

// VerifyBackup checks that path is a complete Earshot database: a bbolt
// file whose pages pass bbolt's consistency check, with Earshot's buckets
// and a schema version this build reads.
func VerifyBackup(path string) (BackupInfo, error) {
	var info BackupInfo
	fi, err := os.Stat(path)
	if err != nil {
		return info, fmt.Errorf("store: verify backup: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return info, fmt.Errorf("store: verify backup: %s is not a regular file", path)
	}
	info.Bytes = fi.Size()
	if _, err := checkDBFile(path); err != nil {
		return info, fmt.Errorf("store: verify backup: %s: %w", path, err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return info, fmt.Errorf("store: verify backup: %s is not a readable earshot database: %w", path, err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return fmt.Errorf("damaged: %w", err)
		}
		return nil
	})
	if err != nil {
		return info, fmt.Errorf("store: verify backup: %s: %w", path, err)
	}
	c, err := checkEarshotDB(db)
	if err != nil {
		return info, fmt.Errorf("store: verify backup: %s: %w", path, err)
	}
	info.Schema, info.Mentions, info.LastSeq = c.schema, c.mentions, c.lastSeq
	return info, nil
}

// dbCounts is what checkEarshotDB finds; equal counts mean a copy holds
// the same records.
type dbCounts struct {
	schema                      int
	mentions, byID, facts, keys uint64
	lastSeq                     uint64
}

// checkEarshotDB checks the meta bucket and schema version and counts the
// records of every bucket.
func checkEarshotDB(db *bolt.DB) (dbCounts, error) {
	var c dbCounts
	err := db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || tx.Bucket(bucketMentions) == nil || tx.Bucket(bucketByID) == nil {
			return errors.New("not an earshot database (no meta, mentions or byid bucket)")
		}
		v := meta.Get(keySchema)
		n, err := strconv.Atoi(string(v))
		switch {
		case err != nil:
			return fmt.Errorf("unreadable schema version %q", v)
		case n < 1 || n > schemaVersion:
			return fmt.Errorf("schema version %d; this build reads 1..%d", n, schemaVersion)
		}
		c.schema = n
		c.lastSeq = tx.Bucket(bucketMentions).Sequence()
		c.mentions = uint64(tx.Bucket(bucketMentions).Stats().KeyN)
		c.byID = uint64(tx.Bucket(bucketByID).Stats().KeyN)
		if b := tx.Bucket(bucketFacts); b != nil {
			c.facts = uint64(b.Stats().KeyN)
		}
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			c.keys += uint64(b.Stats().KeyN)
			return nil
		})
	})
	return c, err
}
