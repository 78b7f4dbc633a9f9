package ingest

import (
	"context"
	"reflect"
	"testing"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/match"
)

// A reply is attributed only from what its author wrote: a brand named in
// the thread's title (ParentTitle) makes no mention, and the parent title
// is kept on the stored mention as context.
func TestReplyMatchedOnOwnTextOnly(t *testing.T) {
	m, err := match.New([]config.Brand{{Name: "Acme", Own: true, Terms: []string{"Acme"}}, {Name: "Globex", Terms: []string{"Globex"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	parent := "Acme X2 battery drains overnight — anyone else?"
	posts := []listener.Post{
		{Network: "reddit", NativeID: "c1", ParentTitle: parent, Text: "Mine too, I returned it.", ReplyTo: "t1"},
		{Network: "reddit", NativeID: "c2", ParentTitle: parent, Text: "Switched to Globex last year, no issue.", ReplyTo: "t1"},
		{Network: "reddit", NativeID: "t1", Title: parent, Text: "Since the update."},
	}
	clock, sink := newClock(), newSink()
	src := &fakeSource{name: "r", network: "reddit", script: []fetchResult{{posts: posts, next: []byte("c")}}}
	p := &Pipeline{Matcher: m, Sink: sink, Clock: clock.Now}
	if _, err := p.Ingest(context.Background(), src, 0); err != nil {
		t.Fatal(err)
	}
	ms := sink.Commits()[0].ms
	got := map[string][]string{}
	for _, x := range ms {
		got[x.ID] = x.Brands
		if x.ID == "reddit:c2" && (x.ParentTitle != parent || x.Title != "" || x.ReplyTo != "reddit:t1") {
			t.Errorf("reply context lost: %+v", x)
		}
	}
	want := map[string][]string{"reddit:c2": {"Globex"}, "reddit:t1": {"Acme"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("brands per mention = %v, want %v (c1 names Acme only in its thread's title)", got, want)
	}
}
