package web

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/rs/zerolog"
)

// backupWriteTimeout bounds how long a backup download may take.
const backupWriteTimeout = time.Hour

// Backuper writes a consistent snapshot of the database; *store.Store
// implements it.
type Backuper interface {
	Backup(ctx context.Context, w io.Writer) (int64, error)
}

// BackupHandler serves GET /api/backup: a hot, consistent bbolt snapshot of
// the running daemon's database, streamed as application/octet-stream (the
// search index is derived and not included). Registered on a Server, it sits
// behind the API token like every other route. Headers are sent before the
// copy starts, so a copy that fails half-way aborts the connection: the
// client sees a broken transfer, never a short file that looks complete
// (and `earshot backup` verifies the file anyway).
func BackupHandler(b Backuper, log zerolog.Logger, clock func() time.Time) http.Handler {
	if clock == nil {
		clock = time.Now
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b == nil {
			writeError(w, http.StatusNotFound, "not_found", "backups are not available on this server")
			return
		}
		start := clock()
		rc := http.NewResponseController(w)
		_ = rc.SetWriteDeadline(time.Now().Add(backupWriteTimeout))
		h := w.Header()
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", `attachment; filename="earshot-`+start.UTC().Format("20060102T150405Z")+`.db"`)
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		n, err := b.Backup(r.Context(), w)
		if err != nil {
			log.Error().Err(err).Int64("bytes", n).Msg("backup download failed")
			panic(http.ErrAbortHandler) // drop the connection: the file is incomplete
		}
		log.Info().Int64("bytes", n).Dur("took", clock().Sub(start)).Str("remote", r.RemoteAddr).Msg("backup downloaded")
	})
}
