package daemon

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/ingest"
	"github.com/earshot/earshot/web/metrics"
)

type fakeSource struct{ err error }

func (fakeSource) Name() string    { return "hn" }
func (fakeSource) Network() string { return "hackernews" }
func (f fakeSource) Fetch(context.Context, []byte) ([]listener.Post, []byte, error) {
	return nil, []byte("c"), f.err
}

func TestInstrumentTimesAndCountsFetches(t *testing.T) {
	r := metrics.New()
	clock := time.Unix(0, 0)
	tick := func() time.Time { clock = clock.Add(250 * time.Millisecond); return clock }
	good := instrument(r, fakeSource{}, tick)
	bad := instrument(r, fakeSource{err: errors.New("http 500")}, tick)
	if _, next, _ := good.Fetch(context.Background(), nil); string(next) != "c" {
		t.Errorf("wrapper changed the cursor: %q", next)
	}
	_, _, _ = bad.Fetch(context.Background(), nil)
	if good.Name() != "hn" || good.Network() != "hackernews" {
		t.Errorf("wrapper changed the name: %s/%s", good.Name(), good.Network())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, _ = instrument(r, fakeSource{err: context.Canceled}, tick).Fetch(ctx, nil)
	if v := testutil.ToFloat64(r.FetchErrors.WithLabelValues("hn", "hackernews")); v != 1 {
		t.Errorf("fetch errors = %v, want 1 (the 500; not the shutdown-cancelled fetch)", v)
	}
	if n := testutil.CollectAndCount(r.FetchDuration); n != 1 {
		t.Errorf("fetch duration series = %d", n)
	}
}

// TestViewHealthCopiesEveryField fills every field of the scheduler's
// health and expects each in the view, so a field added to one and not
// the other fails here.
func TestViewHealthCopiesEveryField(t *testing.T) {
	at := time.Unix(1_800_000_000, 0)
	s := ingest.SourceHealth{Name: "x", Network: "x", Healthy: true, LastSuccess: at, LastAttempt: at.Add(1),
		NextRun: at.Add(2), LastError: "e", LastErrorAt: at.Add(3), ConsecutiveFailures: 4, PostsFetched: 5,
		MentionsStored: 6, Duplicates: 7, LastDuration: 8, Throttled: true, Silent: true, LastNew: at.Add(9),
		TypicalGap: 10, Budget: &listener.BudgetUsage{Used: 11, Limit: 12, Resets: at.Add(13)}}
	v := viewHealth(s)
	sv, vv := reflect.ValueOf(s), reflect.ValueOf(v)
	if sv.NumField() != vv.NumField() {
		t.Fatalf("ingest.SourceHealth has %d fields, metrics.SourceHealth %d", sv.NumField(), vv.NumField())
	}
	for i := range sv.NumField() {
		name := sv.Type().Field(i).Name
		got := vv.FieldByName(name)
		if !got.IsValid() {
			t.Errorf("the view has no %s", name)
			continue
		}
		w, g := []any{sv.Field(i).Interface()}, []any{got.Interface()}
		if sv.Field(i).Kind() == reflect.Pointer { // Budget: the same fields, another type
			w, g = fieldsOf(sv.Field(i).Elem()), fieldsOf(got.Elem())
		}
		if !reflect.DeepEqual(w, g) {
			t.Errorf("%s: got %v, want %v", name, g, w)
		}
	}
}

func fieldsOf(v reflect.Value) []any {
	out := make([]any, v.NumField())
	for i := range out {
		out[i] = v.Field(i).Interface()
	}
	return out
}
