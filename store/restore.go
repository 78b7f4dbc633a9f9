package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
)

// restoreSuffix names the copy Restore writes before installing it.
const restoreSuffix = ".restore"

// RestoreResult tells what Restore did.
type RestoreResult struct {
	Backup BackupInfo
	// Previous is where the database that was in place went ("" when the
	// data dir had none): earshot.db.before-restore-<UTC time>.
	Previous string
}

// Restore installs the backup file from as the database of the data dir,
// which no daemon may be using (Restore holds its lock throughout). The
// backup is verified first (VerifyBackup); it is copied next to the
// database and fsynced, the current database is renamed to
// earshot.db.before-restore-<time>, the copy renamed into place, and the
// search index removed so that the next Open rebuilds it from the restored
// data. A failure before the renames leaves the data dir untouched.
func Restore(dir, from string, opts Options) (RestoreResult, error) {
	var res RestoreResult
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = 2 * time.Second
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	info, err := VerifyBackup(from)
	if err != nil {
		return res, err
	}
	res.Backup = info
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return res, fmt.Errorf("store: restore: %w", err)
	}
	path := filepath.Join(dir, dbFile)
	if absFrom, err1 := filepath.Abs(from); err1 == nil {
		if absPath, err2 := filepath.Abs(path); err2 == nil && absFrom == absPath {
			return res, errors.New("store: restore: the backup is the database itself")
		}
	}
	// Hold the data dir's lock (on the current file) until the swap is done.
	var cur *bolt.DB
	if _, err := os.Stat(path); err == nil {
		cur, err = openLocked(dir, path, opts.LockTimeout, false)
		switch {
		case errors.Is(err, ErrDamaged): // what restore is for: lock the file without mapping it
			unlock, lerr := lockDamaged(dir, path)
			if lerr != nil {
				return res, fmt.Errorf("store: restore: %w", lerr)
			}
			defer unlock()
			opts.Logger.Warn().Err(err).Msg("restore: replacing a damaged database")
		case err != nil:
			return res, fmt.Errorf("store: restore: %w", err)
		default:
			defer func() { _ = cur.Close() }()
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return res, fmt.Errorf("store: restore: %w", err)
	}
	tmp := path + restoreSuffix
	if err := copyFile(from, tmp); err != nil {
		_ = os.Remove(tmp)
		return res, fmt.Errorf("store: restore: %w", err)
	}
	if _, err := os.Stat(path); err == nil {
		res.Previous = path + ".before-restore-" + opts.Clock().UTC().Format("20060102T150405Z")
		if err := os.Rename(path, res.Previous); err != nil {
			_ = os.Remove(tmp)
			return res, fmt.Errorf("store: restore: move the current database aside: %w", err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		if res.Previous != "" {
			_ = os.Rename(res.Previous, path)
		}
		return res, fmt.Errorf("store: restore: install backup: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return res, fmt.Errorf("store: restore: %w", err)
	}
	if err := os.RemoveAll(filepath.Join(dir, indexDir)); err != nil {
		return res, fmt.Errorf("store: restore: remove the old search index (remove %s by hand): %w", filepath.Join(dir, indexDir), err)
	}
	opts.Logger.Info().Str("from", from).Str("previous", res.Previous).Uint64("mentions", info.Mentions).
		Msg("database restored; the search index is rebuilt on next start")
	return res, nil
}

// copyFile copies src to dst (created 0600) and fsyncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return fmt.Errorf("copy %s: %w", src, err)
	}
	if err := out.Sync(); err != nil {
		_ = out.Close()
		return fmt.Errorf("sync %s: %w", dst, err)
	}
	return out.Close()
}

// lockDamaged takes the data dir's lock (bbolt's flock on the file) on a
// database too damaged to open.
func lockDamaged(dir, path string) (func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("data dir %s is in use by another earshot process (stop the daemon first): %w", dir, err)
	}
	return func() { _ = f.Close() }, nil
}
