package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// Reindex opens the store in dir (daemon stopped), rebuilds its search
// index from bbolt and closes it, returning its stats.
func Reindex(ctx context.Context, dir string, log zerolog.Logger) (store.Stats, error) {
	st, err := store.Open(dir, store.Options{Logger: log})
	if err != nil {
		return store.Stats{}, err
	}
	if err := st.Reindex(ctx); err != nil {
		st.Close()
		return store.Stats{}, fmt.Errorf("reindex: %w", err)
	}
	stats := st.Stats()
	return stats, st.Close()
}

// Compact rewrites the bbolt file in dataDir without its free pages and,
// with reindex, rebuilds the search index too (daemon stopped), printing
// what it did to w.
func Compact(ctx context.Context, dataDir string, reindex bool, log zerolog.Logger, w io.Writer) error {
	res, err := store.Compact(dataDir, store.Options{Logger: log})
	if err != nil {
		return err
	}
	saved := 0.0
	if res.Before > 0 {
		saved = 100 * float64(res.Before-res.After) / float64(res.Before)
	}
	fmt.Fprintf(w, "compacted %s: %s → %s (%.0f%% smaller), %d mentions, in %s\n",
		res.Path, HumanBytes(res.Before), HumanBytes(res.After), saved, res.Mentions, res.Took.Round(1e6))
	if !reindex {
		return nil
	}
	stats, err := Reindex(ctx, dataDir, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "search index rebuilt: %s\n", HumanBytes(stats.IndexBytes))
	return nil
}

// Backup writes a consistent snapshot of the database to out: through the
// running daemon's API (hot), or from the data dir when no daemon runs. The
// file appears only once complete and verified; what was written is
// printed to w.
func Backup(ctx context.Context, cfg *config.Config, out string, log zerolog.Logger, w io.Writer) error {
	tmp := out + ".part"
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
	base := "http://" + APIHost(cfg.Earshot.Listen)
	how := "from the running daemon at " + base
	err = downloadBackup(ctx, base+"/api/backup", cfg.Earshot.APIToken, f)
	if IsNotRunning(err) {
		how = "from " + cfg.Earshot.DataDir + " (no daemon running)"
		if _, serr := f.Seek(0, io.SeekStart); serr != nil {
			return serr
		}
		if terr := f.Truncate(0); terr != nil {
			return terr
		}
		_, err = store.BackupFile(cfg.Earshot.DataDir, f, store.Options{Logger: log})
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
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("install backup: %w", err)
	}
	ok = true
	fmt.Fprintf(w, "backup written to %s %s: %d mentions, %s (the search index is not included; restore rebuilds it)\n",
		out, how, info.Mentions, HumanBytes(info.Bytes))
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

// Restore installs the backup from as the database in dataDir (daemon
// stopped), printing what it did to w; the index is rebuilt on start.
func Restore(dataDir, from string, log zerolog.Logger, w io.Writer) error {
	res, err := store.Restore(dataDir, from, store.Options{Logger: log})
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%w (check -from)", err)
		}
		return err
	}
	fmt.Fprintf(w, "restored %s into %s: %d mentions\n", from, filepath.Join(dataDir, "earshot.db"), res.Backup.Mentions)
	if res.Previous != "" {
		fmt.Fprintf(w, "the previous database is kept as %s (delete it when satisfied)\n", res.Previous)
	}
	fmt.Fprintln(w, "the search index will be rebuilt from the restored data when the daemon starts")
	return nil
}
