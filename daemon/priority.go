package daemon

import "github.com/rs/zerolog"

// searchPriorityReporter says at what priority searches run;
// *store.Store implements it.
type searchPriorityReporter interface {
	SearchPriority() (nice int, err error)
}

// logSearchPriority logs once at start whether searches run ahead of
// indexing (store/priority.go; docs/operations.md, "Search priority").
func logSearchPriority(log zerolog.Logger, st searchPriorityReporter) {
	nice, err := st.SearchPriority()
	if err != nil {
		log.Warn().Err(err).Msg("store: searches run at the daemon's own priority and queue behind indexing while it ingests; " +
			"allow a lower nice value (systemd LimitNICE=-10, docker --ulimit nice=30, or CAP_SYS_NICE): docs/operations.md#search-priority")
		return
	}
	log.Info().Int("nice", nice).Msg("store: searches run at a raised thread priority, ahead of indexing")
}
