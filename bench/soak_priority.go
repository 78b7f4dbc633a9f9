package bench

import (
	"fmt"
	"io"

	"github.com/earshot/earshot/store"
)

// printSearchPriority says at what priority the soak's searches run
// (store/priority.go): the figures while ingesting depend on it.
func printSearchPriority(w io.Writer, st *store.Store) {
	if nice, err := st.SearchPriority(); err != nil {
		fmt.Fprintf(w, "search priority: not raised (%v)\n", err)
	} else {
		fmt.Fprintf(w, "search priority: searches' threads at nice %d\n", nice)
	}
}

// storeOptions are the store's options the soak's flags set.
func (r *soakRun) storeOptions() store.Options {
	return store.Options{Logger: r.log, MapRSSLimit: r.o.MapRSSLimit, SearchPriority: r.o.SearchPriority}
}
