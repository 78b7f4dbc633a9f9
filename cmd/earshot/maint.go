package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/earshot/earshot/store"
)

// cmdCompact rewrites the bbolt file without its free pages (daemon stopped).
func cmdCompact(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("compact", stderr)
	path := configFlag(fs)
	reindex := fs.Bool("reindex", false, "also rebuild the search index (reclaims the space of deleted documents at once)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	log := newLogger(cfg.Earshot.LogLevel, stderr)
	res, err := store.Compact(cfg.Earshot.DataDir, store.Options{Logger: log})
	if err != nil {
		return err
	}
	saved := 0.0
	if res.Before > 0 {
		saved = 100 * float64(res.Before-res.After) / float64(res.Before)
	}
	fmt.Fprintf(stdout, "compacted %s: %s → %s (%.0f%% smaller), %d mentions, in %s\n",
		res.Path, humanBytes(res.Before), humanBytes(res.After), saved, res.Mentions, res.Took.Round(1e6))
	if !*reindex {
		return nil
	}
	stats, err := reindexDataDir(ctx, cfg.Earshot.DataDir, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "search index rebuilt: %s\n", humanBytes(stats.IndexBytes))
	return nil
}

// cmdBackup writes a consistent snapshot of the database: through the
// running daemon's API (hot), or from the data dir when no daemon runs.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", stderr)
	path := configFlag(fs)
	out := fs.String("out", "", "file to write the backup to (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "earshot backup: -out FILE is required")
		return errUsage
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	tmp := *out + ".part"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("create backup file: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	base := "http://" + apiHost(cfg.Earshot.Listen)
	how := "from the running daemon at " + base
	err = downloadBackup(ctx, base+"/api/backup", cfg.Earshot.APIToken, f)
	if isNotRunning(err) {
		how = "from " + cfg.Earshot.DataDir + " (no daemon running)"
		if _, serr := f.Seek(0, io.SeekStart); serr != nil {
			return serr
		}
		if terr := f.Truncate(0); terr != nil {
			return terr
		}
		_, err = store.BackupFile(cfg.Earshot.DataDir, f, store.Options{Logger: newLogger("warn", stderr)})
	}
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write backup: %w", err)
	}
	info, err := store.VerifyBackup(tmp)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return fmt.Errorf("install backup: %w", err)
	}
	ok = true
	fmt.Fprintf(stdout, "backup written to %s %s: %d mentions, %s (the search index is not included; restore rebuilds it)\n",
		*out, how, info.Mentions, humanBytes(info.Bytes))
	return nil
}

// downloadBackup streams GET url into w.
func downloadBackup(ctx context.Context, url, token string, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	switch res.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized:
		return fmt.Errorf("GET %s: %s: the daemon needs the API token (set the variable named by api_token_env)", url, res.Status)
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return fmt.Errorf("GET %s: %s: the running daemon does not serve backups; upgrade it, or stop it and run backup again", url, res.Status)
	default:
		return fmt.Errorf("GET %s: %s", url, res.Status)
	}
	if _, err := io.Copy(w, res.Body); err != nil {
		return fmt.Errorf("download backup: %w", err)
	}
	return nil
}

// cmdRestore installs a backup as the database (daemon stopped).
func cmdRestore(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("restore", stderr)
	path := configFlag(fs)
	from := fs.String("from", "", "backup file to restore (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" {
		fmt.Fprintln(stderr, "earshot restore: -from FILE is required")
		return errUsage
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	res, err := store.Restore(cfg.Earshot.DataDir, *from, store.Options{Logger: newLogger("warn", stderr)})
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%w (check -from)", err)
		}
		return err
	}
	fmt.Fprintf(stdout, "restored %s into %s: %d mentions\n", *from, filepath.Join(cfg.Earshot.DataDir, "earshot.db"), res.Backup.Mentions)
	if res.Previous != "" {
		fmt.Fprintf(stdout, "the previous database is kept as %s (delete it when satisfied)\n", res.Previous)
	}
	fmt.Fprintln(stdout, "the search index will be rebuilt from the restored data when the daemon starts")
	return nil
}
