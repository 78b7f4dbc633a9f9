package daemon

import (
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
)

// NewLogger writes level-filtered log lines to w in format (config's
// log_format): "json" (one zerolog JSON object per line, for systemd,
// Docker and Loki), "console" (aligned human text) or "auto"/"" (console
// when w is a terminal, JSON otherwise). An unknown level means info.
func NewLogger(level, format string, w io.Writer) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil || level == "" {
		lvl = zerolog.InfoLevel
	}
	tty := isTerminal(w)
	// Sources log from their own goroutines: serialise the writes.
	out := zerolog.SyncWriter(w)
	if format == config.LogFormatConsole || (format != config.LogFormatJSON && tty) {
		out = zerolog.ConsoleWriter{Out: out, TimeFormat: time.TimeOnly, NoColor: !tty}
	}
	return zerolog.New(out).Level(lvl).With().Timestamp().Logger()
}

// Logger is NewLogger for a loaded config's [earshot] section.
func Logger(cfg *config.Config, w io.Writer) zerolog.Logger {
	return NewLogger(cfg.Earshot.LogLevel, cfg.Earshot.LogFormat, w)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
