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
