package report

import (
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// minSample is the smallest number of mentions a report calls a lead, a
// white space or a change on: Σ brands' mentions on the network for a lead
// or white space, window + previous period for a change. Below it the
// figure reads "too few to call".
const minSample = 10

// Notes that replace a figure the report will not call.
const (
	noteNew = "new" // the previous period, collected in full, is empty
	// notePrevPartial: collection began after the previous period started
	// (on "all": on any reported network), so whatever it holds is not all
	// there was ("new" would read as "nothing before").
	notePrevPartial = "prev. partly collected"
	noteTooFew      = "too few to call" // below minSample
	noteTie         = "tie"             // two brands share the best figure
)

// collection knows, per network, when collection began: from then on the
// network was collected in full (store.CoveredFrom: the latest coverage of
// its configured sources). A network missing was never collected in full.
type collection map[string]time.Time

// coverage applies store.CoveredFrom to every network of the table.
func coverage(recs map[string]store.SourceCoverage, sources []config.Source) collection {
	c := collection{}
	for _, n := range config.NetworkNames() {
		if from, ok := store.CoveredFrom(recs, n, sources); ok {
			c[n] = from
		}
	}
	return c
}

// unpolledNotes name the configured sources that have not completed a
// poll: until they do, their network counts as never collected in full.
func unpolledNotes(recs map[string]store.SourceCoverage, sources []config.Source) []Note {
	var out []Note
	for _, s := range sources {
		if _, ok := recs[s.Name]; !ok {
			out = append(out, Note{Key: "unpolled", Network: s.Network, Args: []any{s.Name}})
		}
	}
	return out
}

// partial tells whether the period starting at from was only partly
// collected on network n: collection began after from, or never ("all":
// on any of networks, the reported ones).
func (c collection) partial(n string, from time.Time, networks []string) bool {
	if n != allNetworks {
		b, ok := c[n]
		return !ok || b.After(from)
	}
	for _, x := range networks {
		if c.partial(x, from, nil) {
			return true
		}
	}
	return false
}

// began is when collection began on n ("all": the earliest of networks);
// ok is false when it never did.
func (c collection) began(n string, networks []string) (time.Time, bool) {
	if n != allNetworks {
		b, ok := c[n]
		return b, ok
	}
	var first time.Time
	for _, x := range networks {
		if b, ok := c[x]; ok && (first.IsZero() || b.Before(first)) {
			first = b
		}
	}
	return first, !first.IsZero()
}

// callChange is the % change of a count against the previous period, or
// why it is not called: "prev. partly collected" against a previous
// period collection began after, "new" against an empty one, "too few to
// call" when window + previous < minSample.
func callChange(cur, prev int64, partial bool) (*float64, string) {
	switch {
	case cur == 0 && prev == 0:
		return nil, ""
	case partial:
		return nil, notePrevPartial
	case prev == 0:
		return nil, noteNew
	case cur+prev < minSample:
		return nil, noteTooFew
	}
	return change(cur, prev), ""
}

// givesInteractions tells whether the networks table lists an interaction
// count for network n: where it does not (news, blogs, web), interactions
// are unknown, not zero.
func givesInteractions(n string) bool {
	row, _ := config.LookupNetwork(n)
	for _, c := range row.Engagement {
		if c == config.Interaction {
			return true
		}
	}
	return false
}

// dayStart is the local midnight starting history day i.
func (w window) dayStart(i int) time.Time {
	return time.Date(w.histStart.Year(), w.histStart.Month(), w.histStart.Day()+i, 0, 0, 0, 0, w.loc)
}

// interactionsKnown tells whether network n ("all": any of networks) gives
// interaction counts.
func interactionsKnown(n string, networks []string) bool {
	if n != allNetworks {
		return givesInteractions(n)
	}
	for _, x := range networks {
		if givesInteractions(x) {
			return true
		}
	}
	return false
}
