package daemon

import (
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/ingest"
	"github.com/earshot/earshot/listener/refresh"
)

// refresher builds the engagement refresher of a config's jobs: every
// source whose network can look posts up (listener.Lookup) is a target.
// A target with a daily budget refreshes from its own share of it
// (refresh.Share, kept under "<source>/refresh") and its polling budget
// shrinks by that share, so refreshes never spend what polling counts on.
// Called before the jobs' sources are wrapped.
func (d *Daemon) refresher(jobs []ingest.Job, budgets map[string]*ingest.Budget) *refresh.Refresher {
	var targets []refresh.Target
	for _, j := range jobs {
		lk, ok := j.Source.(listener.Lookup)
		if !ok {
			continue
		}
		t := refresh.Target{Source: j.Source.Name(), Network: j.Source.Network(), Lookup: lk}
		if pb := budgets[t.Source]; pb != nil {
			share := refresh.Share(pb.Limit)
			pb.Limit -= share
			t.Budget = &ingest.Budget{Store: pb.Store, Key: t.Source + "/refresh", Limit: share, Loc: pb.Loc, Clock: pb.Clock}
		}
		targets = append(targets, t)
	}
	var st refresh.Store = d.store
	if d.cluster != nil {
		st = d.cluster.RefreshStore(d.store) // outcomes go through the stream to every node
	}
	return refresh.New(refresh.Options{Store: st, Targets: targets, Logger: d.log, Clock: d.clock})
}
