package cluster

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// natsLog is the embedded server's logger: its errors and its warnings
// about routes go to the node's log (other warnings at debug level; each
// distinct message at most once a minute: a refused route is retried
// every second), and the last error about a route is kept, so that a node
// that cannot join says why (Open).
type natsLog struct {
	log  zerolog.Logger
	mu   sync.Mutex
	said map[string]time.Time
	last string // the last route error
	bind string // the first "Error listening on …" (a port taken)
}

func newNATSLog(log zerolog.Logger) *natsLog {
	return &natsLog{log: log.With().Str("component", "nats").Logger(), said: map[string]time.Time{}}
}

func (l *natsLog) Noticef(string, ...any) {}
func (l *natsLog) Debugf(string, ...any)  {}
func (l *natsLog) Tracef(string, ...any)  {}
func (l *natsLog) Warnf(format string, v ...any) {
	l.note(zerolog.WarnLevel, fmt.Sprintf(format, v...))
}
func (l *natsLog) Errorf(format string, v ...any) {
	l.note(zerolog.ErrorLevel, fmt.Sprintf(format, v...))
}
func (l *natsLog) Fatalf(format string, v ...any) {
	l.note(zerolog.ErrorLevel, fmt.Sprintf(format, v...))
}

func (l *natsLog) note(level zerolog.Level, msg string) {
	if strings.HasPrefix(msg, "Plaintext passwords detected") {
		return // the password comes from the environment, not a file
	}
	// "127.0.0.1:52664 - rid:10 - authentication error": the address and
	// connection id change with every retry.
	key := msg
	if _, rest, ok := strings.Cut(msg, " - rid:"); ok {
		if _, rest, ok = strings.Cut(rest, " - "); ok {
			key = rest
		}
	}
	if i := strings.Index(key, " (attempt "); i >= 0 { // "Error trying to connect to route (attempt 5): …"
		if _, rest, ok := strings.Cut(key[i:], "): "); ok {
			key = key[:i] + ": " + rest
		}
		level = zerolog.WarnLevel
	}
	route := isRouteError(msg)
	if level == zerolog.WarnLevel && !route {
		level = zerolog.DebugLevel // elections, catch-ups: the server's routine
	}
	l.mu.Lock()
	if route {
		l.last = key
	}
	if l.bind == "" && strings.HasPrefix(msg, "Error listening on") {
		l.bind = msg
	}
	quiet := time.Since(l.said[key]) < time.Minute
	if !quiet {
		l.said[key] = time.Now()
	}
	l.mu.Unlock()
	if !quiet {
		l.log.WithLevel(level).Msg("nats: " + msg)
	}
}

// isRouteError reports whether msg is the server's word on a route that
// failed: refused credentials or a failed TLS handshake.
func isRouteError(msg string) bool {
	m := strings.ToLower(msg)
	if !strings.Contains(m, "rid:") && !strings.Contains(m, "route") || strings.Contains(m, "error flushing") {
		return false
	}
	for _, w := range []string{"authorization", "authentication", "tls", "certificate", "x509"} {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}

// bindError is the server's first failure to listen on one of its ports
// ("" when none): the server keeps running without that listener, so a
// node waiting for it would wait in vain.
func (l *natsLog) bindError() string {
	if l == nil {
		return ""
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bind
}

// routeError is the last route error the server logged ("" when none).
func (l *natsLog) routeError() string {
	if l == nil {
		return ""
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last
}
