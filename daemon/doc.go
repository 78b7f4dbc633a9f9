// Package daemon is one running Earshot: the store, the scheduler of
// sources, the weekly digest, the retention loop and the HTTP API, built
// from a config.
//
// The contract:
//
//   - Open builds everything fallible first (store, matcher, sentiment,
//     sources, digest, the listening socket) and returns an error with
//     nothing left open, so a bad setup fails before anything runs.
//   - Run serves until its context ends, then drains in-flight fetches,
//     stops the API and closes the store; RunWithSignals adds SIGINT/SIGTERM
//     (stop) and SIGHUP (ReloadFile) for a process. A Daemon runs once;
//     Close releases one that never ran.
//   - Reload (and ReloadFile, which reads Options.Load) builds everything
//     the new config needs, and only then stops the old scheduler and
//     starts the new one: on any error the running config stays and the
//     error is reported by /api/sources and the reload metrics. The store,
//     the socket and the API outlive reloads; settings that need a restart
//     are listed in ConfigStatus.
//   - Logger, clock and version come in through Options; the version
//     reaches every outgoing User-Agent.
//
// Beside the daemon, what cmd/earshot's commands call:
//
//   - NewLogger and Logger: log_format "json" (one JSON object per line,
//     for systemd, Docker, Loki), "console" (text) or "auto" (console on a
//     terminal, JSON otherwise).
//   - TuneRuntime: GOMAXPROCS and the collector (GOGC 800 under a memory
//     limit following the live heap) for the process.
//   - Clients of a running daemon's API (Get, Search, Report, WriteStatus,
//     Backup), each falling back to the store when no daemon answers.
//   - Maintenance with the daemon stopped: Reindex, Compact, Restore.
package daemon
