package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

// Bounds of a backup download.
const (
	// backupMaxDuration caps a whole download.
	backupMaxDuration = time.Hour
	// backupStallTimeout is how long one write to the client may take: a
	// client that stops reading is dropped after this, whatever the size.
	backupStallTimeout = 30 * time.Second
)

// Backuper takes a consistent snapshot of the database; *store.Store
// implements it. The snapshot is a private file, so streaming it to a slow
// client holds nothing in the store.
type Backuper interface {
	Snapshot(ctx context.Context) (*store.Snapshot, error)
}

// BackupHandler serves GET /api/backup: a hot, consistent bbolt snapshot of
// the running daemon's database, streamed as application/octet-stream with
// its Content-Length (the search index is derived and not included).
// Registered on a Server, it sits behind the API token and the Host check
// like every other route.
//
// The snapshot is written to a temporary file first (one short read
// transaction), then streamed: a client that stops reading holds a file
// descriptor, not the store, and is dropped once a write has waited
// backupStallTimeout; no download lasts over backupMaxDuration. Headers are
// sent before the copy starts, so a copy that fails half-way aborts the
// connection: the client sees a broken transfer, never a short file that
// looks complete (and `earshot backup` verifies the file anyway).
func BackupHandler(b Backuper, log zerolog.Logger, clock func() time.Time) http.Handler {
	return backupHandler{b: b, log: log, clock: clock, stall: backupStallTimeout, max: backupMaxDuration}
}

type backupHandler struct {
	b          Backuper
	log        zerolog.Logger
	clock      func() time.Time
	stall, max time.Duration
}

func (h backupHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.b == nil {
		writeError(w, http.StatusNotFound, "not_found", "backups are not available on this server")
		return
	}
	clock := h.clock
	if clock == nil {
		clock = time.Now
	}
	start := clock()
	snap, err := h.b.Snapshot(r.Context())
	if err != nil {
		h.log.Error().Err(err).Msg("backup snapshot failed")
		writeError(w, http.StatusInternalServerError, "internal", "could not take a snapshot; see the daemon log")
		return
	}
	defer snap.Close()
	hd := w.Header()
	hd.Set("Content-Type", "application/octet-stream")
	hd.Set("Content-Length", strconv.FormatInt(snap.Size, 10))
	hd.Set("Content-Disposition", `attachment; filename="earshot-`+start.UTC().Format("20060102T150405Z")+`.db"`)
	hd.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	dw := &deadlineWriter{w: w, rc: http.NewResponseController(w), stall: h.stall, end: time.Now().Add(h.max)}
	n, err := io.Copy(dw, snap)
	if err == nil && n != snap.Size {
		err = fmt.Errorf("snapshot of %d bytes ended after %d", snap.Size, n)
	}
	if err != nil {
		h.log.Error().Err(err).Int64("bytes", n).Str("remote", r.RemoteAddr).Msg("backup download failed")
		panic(http.ErrAbortHandler) // drop the connection: the file is incomplete
	}
	h.log.Info().Int64("bytes", n).Dur("took", clock().Sub(start)).Str("remote", r.RemoteAddr).Msg("backup downloaded")
}

// errDownloadTooLong ends a download that passed its overall deadline.
var errDownloadTooLong = errors.New("backup download took too long")

// deadlineWriter gives every write its own deadline (now + stall, never past
// end): a reader that keeps up is never cut, one that stops is dropped.
type deadlineWriter struct {
	w     io.Writer
	rc    *http.ResponseController
	stall time.Duration
	end   time.Time
}

func (d *deadlineWriter) Write(p []byte) (int, error) {
	now := time.Now()
	if !now.Before(d.end) {
		return 0, errDownloadTooLong
	}
	dl := now.Add(d.stall)
	if dl.After(d.end) {
		dl = d.end
	}
	if err := d.rc.SetWriteDeadline(dl); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return 0, fmt.Errorf("set write deadline: %w", err)
	}
	return d.w.Write(p)
}
