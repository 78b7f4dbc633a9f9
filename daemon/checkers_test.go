package daemon_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The crash test's verdicts come from checkAgainstStreams and checkLife;
// these cases show that each kind of damage is reported.
func TestCrashCheckersDetectDamage(t *testing.T) {
	s := newHNStream(0, 1, time.Now().Add(-60*time.Hour).Truncate(time.Second))
	defer s.close()
	streams := []*hnStream{s}
	s.mu.Lock()
	s.served, s.head = 40, 40
	s.mu.Unlock()
	// A cursor at item 30's second, with item 30 seen but not its
	// same-second successors.
	cur, _ := json.Marshal(map[string]any{"queries": map[string]any{
		"acme": map[string]any{"since": s.created(30), "ids": []string{s.objectID(30)}}}})
	good := func() *dbState {
		st := &dbState{ids: map[string]dbMention{}, cursors: map[string][]byte{hnSourceName(0): cur}}
		for k := 1; k <= 30; k++ {
			if hnMatches(k) {
				id := "hackernews:" + s.objectID(k)
				st.ids[id] = dbMention{ID: id, Source: hnSourceName(0), Text: "quokka", seq: uint64(k)}
			}
		}
		return st
	}
	if err := checkAgainstStreams(good(), streams); err != nil {
		t.Fatalf("consistent state rejected: %v", err)
	}
	cases := map[string]struct {
		mutate func(*dbState)
		want   string
	}{
		"lost":            {func(st *dbState) { delete(st.ids, "hackernews:"+s.objectID(29)) }, "not stored"},
		"beyond cursor":   {func(st *dbState) { st.ids["hackernews:"+s.objectID(31)] = dbMention{Source: hnSourceName(0)} }, "no source's cursor covers it"},
		"wrong source":    {func(st *dbState) { st.ids["hackernews:"+s.objectID(29)] = dbMention{Source: "other", Text: "quokka"} }, "never passed it"},
		"cursor too far":  {func(st *dbState) { st.cursors[hnSourceName(0)] = []byte(`{"queries":{"acme":{"since":99999999999}}}`) }, "never served"},
		"unreadable":      {func(st *dbState) { st.cursors[hnSourceName(0)] = []byte(`{`) }, "cursor"},
		"content damaged": {func(st *dbState) { id := "hackernews:" + s.objectID(29); m := st.ids[id]; m.Text = ""; st.ids[id] = m }, "lost its content"},
	}
	for name, tc := range cases {
		st := good()
		tc.mutate(st)
		if err := checkAgainstStreams(st, streams); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error with %q", name, err, tc.want)
		}
	}

	prev := good()
	next := good()
	delete(next.ids, "hackernews:"+s.objectID(1))
	if err := checkLife(prev, next, nil); err == nil || !strings.Contains(err.Error(), "vanished") {
		t.Errorf("vanished mention: %v", err)
	}
	if err := checkLife(prev, good(), map[string]int{hnSourceName(0): 3}); err == nil || !strings.Contains(err.Error(), "acknowledged 3") {
		t.Errorf("unacknowledged loss: %v", err)
	}
	if err := checkLife(prev, good(), map[string]int{hnSourceName(0): 0}); err != nil {
		t.Errorf("nothing new, nothing acknowledged: %v", err)
	}
}
