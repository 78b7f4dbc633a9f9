package daemon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

// scriptedMerger answers MergeIndex from a script, then "nothing due".
type scriptedMerger struct {
	mu     sync.Mutex
	script []mergeStep
	calls  int
	pauses []float64
}

type mergeStep struct {
	m   store.IndexMerge
	err error
}

func (s *scriptedMerger) MergeIndex(_ context.Context, opt store.MergeOptions) (store.IndexMerge, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	s.pauses = append(s.pauses, opt.Pause)
	if len(s.script) == 0 {
		return store.IndexMerge{}, false, nil
	}
	st := s.script[0]
	s.script = s.script[1:]
	return st.m, true, st.err
}

// A pass merges every due partition, one per call, logs each, skips a
// partition dropped meanwhile, and stops at an error until the next pass.
func TestMergeDueMergesUntilNoneDue(t *testing.T) {
	var buf strings.Builder
	log := zerolog.New(&buf)
	st := &scriptedMerger{script: []mergeStep{
		{m: store.IndexMerge{Week: "2026-W10", SegmentsBefore: 9, SegmentsAfter: 1, Docs: 40000}},
		{m: store.IndexMerge{Week: "2026-W09", Dropped: true}},
		{m: store.IndexMerge{Week: "2026-W08", SegmentsBefore: 7, SegmentsAfter: 1}},
		{m: store.IndexMerge{Week: "2026-W07"}, err: errors.New("disk on fire")},
		{m: store.IndexMerge{Week: "2026-W06", SegmentsBefore: 7, SegmentsAfter: 1}},
	}}
	if n := mergeDue(context.Background(), st, log, 1); n != 2 {
		t.Errorf("merged %d, want 2 (W10, W08; W09 dropped; the error ends the pass)", n)
	}
	out := buf.String()
	for _, want := range []string{
		`"week":"2026-W10","segments_before":9,"segments_after":1,"docs":40000`,
		`"week":"2026-W09","message":"index: partition dropped or replaced while merging`,
		`"level":"warn","error":"disk on fire","week":"2026-W07","message":"index: merge failed; retrying at the next pass"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "2026-W06") {
		t.Error("the pass went on after an error")
	}
	if n := mergeDue(context.Background(), st, log, 1); n != 1 || st.calls != 6 {
		t.Errorf("next pass merged %d in %d calls in all, want 1 in 6", n, st.calls)
	}
	for _, p := range st.pauses {
		if p != 1 {
			t.Errorf("pause %v, want the throttle 1", p)
		}
	}
}

// The loop runs a pass after first, then every every, until ctx ends.
func TestIndexMaintLoopRunsPasses(t *testing.T) {
	st := &scriptedMerger{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		indexMaintLoop(ctx, st, zerolog.Nop(), time.Millisecond, time.Millisecond, store.DefaultMergePause)
		close(done)
	}()
	deadline := time.After(10 * time.Second)
	for {
		st.mu.Lock()
		calls := st.calls
		st.mu.Unlock()
		if calls >= 3 {
			break
		}
		select {
		case <-deadline:
			t.Fatalf("%d passes in 10 s", calls)
		case <-time.After(time.Millisecond):
		}
	}
	cancel()
	<-done
}

// docs/operations.md states the schedule; it comes from the code.
func TestIndexMaintScheduleDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(doc)), " ")
	want := fmt.Sprintf("a first pass %d minutes after start, then %s", int(indexMaintFirst.Minutes()),
		map[time.Duration]string{time.Hour: "hourly"}[indexMaintEvery])
	if !strings.Contains(text, want) {
		t.Errorf("docs/operations.md does not say %q", want)
	}
}
