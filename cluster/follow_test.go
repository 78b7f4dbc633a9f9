package cluster

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

// seqMsg is a delivered message with only its consumer sequence.
type seqMsg struct {
	jetstream.Msg
	seq uint64
}

func (m seqMsg) Metadata() (*jetstream.MsgMetadata, error) {
	return &jetstream.MsgMetadata{Sequence: jetstream.SequencePair{Consumer: m.seq, Stream: m.seq + 100}}, nil
}

func TestConsecutive(t *testing.T) {
	msgs := func(seqs ...uint64) []jetstream.Msg {
		var out []jetstream.Msg
		for _, s := range seqs {
			out = append(out, seqMsg{seq: s})
		}
		return out
	}
	for _, tt := range []struct {
		last uint64
		seqs []uint64
		want int
	}{
		{0, []uint64{1, 2, 3}, 3},
		{0, []uint64{2, 3}, 0}, // the consumer's first delivery was lost
		{5, []uint64{6, 7, 9}, 2},
		{5, []uint64{5, 6}, 0},
		{5, nil, 0},
	} {
		if got := consecutive(msgs(tt.seqs...), tt.last); got != tt.want {
			t.Errorf("consecutive(%v after %d) = %d, want %d", tt.seqs, tt.last, got, tt.want)
		}
	}
}

// TestFollowerRecoversALostDelivery: a delivery the follower never sees
// (here taken by another client of its consumer, as a fetch the client
// gave up on under load drops one) is not acked by a later ack-all: the
// follower notices the gap, recreates its consumer and commits it.
func TestFollowerRecoversALostDelivery(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	url := standalone(t)
	n, _ := openNode(t, url, "a", "h")
	st, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	base := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	if _, err := n.publish(ctx, lagMentions(base, 0, 1)); err != nil {
		t.Fatal(err)
	}
	fctx, fcancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = n.Follow(fctx, st) }()
	defer func() { fcancel(); <-done }()
	waitFor(ctx, t, "the first mention", func() bool { return st.Stats().Mentions == 1 })

	// The thief waits on the follower's consumer; the next message
	// published goes to one of the two waiting fetches.
	cons, err := n.stream.Consumer(ctx, n.durable())
	if err != nil {
		t.Fatal(err)
	}
	stolen := make(chan string, 1)
	go func() {
		b, err := cons.Fetch(1, jetstream.FetchMaxWait(20*time.Second))
		if err != nil {
			stolen <- ""
			return
		}
		id := ""
		for m := range b.Messages() {
			id = string(m.Headers().Get(jetstream.MsgIDHeader))
		}
		stolen <- id
	}()
	var id string
	for i := 1; id == "" && i < 200; i++ {
		if _, err := n.publish(ctx, lagMentions(base, i, 1)); err != nil {
			t.Fatal(err)
		}
		select {
		case id = <-stolen:
			if id == "" {
				t.Fatal("the thief's fetch failed")
			}
		case <-time.After(50 * time.Millisecond):
		}
	}
	if id == "" {
		t.Fatal("no delivery was taken from the follower")
	}
	// Later messages are committed and acked (ack-all) past the stolen one.
	if _, err := n.publish(ctx, lagMentions(base, 1000, 10)); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, fmt.Sprintf("the stolen mention %s committed", id), func() bool { _, ok, _ := st.Get(id); return ok })
}
