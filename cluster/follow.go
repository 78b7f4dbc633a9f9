package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/earshot/earshot/store"
)

// FollowBatch is the most messages one local commit takes.
const FollowBatch = 512

// durable is this node's consumer: node name and data dir incarnation.
func (n *Node) durable() string { return n.name + "-" + n.incarnation }

// Follow consumes the stream into local until ctx ends: each batch is
// committed in one local transaction, then acked (ack-all up to its last
// message). A message that does not decode is logged and acked (it would
// fail forever). The node's consumers of older incarnations are deleted.
func (n *Node) Follow(ctx context.Context, local LocalStore) error {
	var cons jetstream.Consumer
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		cons, err = n.consumer(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("cluster: consumer %s: %w", n.durable(), err)
	}
	n.dropOldConsumers(ctx)
	var last uint64 // consumer sequence of the last message taken (0: none yet from this consumer)
	for ctx.Err() == nil {
		msgs, err := n.next(cons)
		if err != nil && len(msgs) == 0 {
			if ctx.Err() == nil {
				n.log.Debug().Err(err).Msg("cluster: fetch from the stream")
				sleep(ctx, 100*time.Millisecond)
			}
			continue
		}
		// A fetch the client gave up on (its expiry passed under load)
		// drops what the server sends it after: those messages count as
		// delivered, and acking a later one (ack-all) would ack them too,
		// unseen. A gap in the consumer's delivery sequence stops the
		// batch there; the consumer is then recreated from its ack floor.
		k := consecutive(msgs, last)
		gap := k < len(msgs)
		if gap {
			n.log.Warn().Uint64("after", last+uint64(k)).Msg("cluster: a delivery from the stream was lost on the way; resuming from the first unacknowledged message")
		}
		if msgs = msgs[:k]; len(msgs) > 0 {
			n.commitRetrying(ctx, local, msgs)
			last += uint64(len(msgs))
		}
		if gap && ctx.Err() == nil {
			err := retry(ctx, func(ctx context.Context) error {
				var err error
				cons, err = n.consumer(ctx)
				return err
			})
			if err != nil {
				return fmt.Errorf("cluster: consumer %s: %w", n.durable(), err)
			}
			last = 0
		}
	}
	return nil
}

// consecutive is how many of msgs, from the first, follow last in the
// consumer's delivery sequence without a gap.
func consecutive(msgs []jetstream.Msg, last uint64) int {
	for i, m := range msgs {
		md, err := m.Metadata()
		if err != nil || md.Sequence.Consumer != last+1 {
			return i
		}
		last = md.Sequence.Consumer
	}
	return len(msgs)
}

// commitRetrying commits and acks msgs, retrying until it succeeds or ctx
// ends.
func (n *Node) commitRetrying(ctx context.Context, local LocalStore, msgs []jetstream.Msg) {
	// The batch is retried until it is committed: acking a later one
	// would ack it too (ack-all).
	for wait := 100 * time.Millisecond; ctx.Err() == nil; wait = min(2*wait, 10*time.Second) {
		n.follow.Lock()
		err := n.commitBatch(ctx, local, msgs)
		if err == nil {
			if md, merr := msgs[len(msgs)-1].Metadata(); merr == nil {
				n.follow.committed = md.Sequence.Stream
			}
		}
		n.follow.Unlock()
		if err == nil {
			return
		}
		n.log.Error().Err(err).Msg("cluster: committing or acking a batch failed; retrying it")
		sleep(ctx, wait)
	}
}

// consumer (re)creates this node's durable consumer so that it delivers
// from the first message not yet acked: messages a former process of this
// data dir received but never committed are delivered again (with ack-all,
// acking later ones would otherwise ack them too).
func (n *Node) consumer(ctx context.Context) (jetstream.Consumer, error) {
	cfg := jetstream.ConsumerConfig{Durable: n.durable(), AckPolicy: jetstream.AckAllPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy, MaxAckPending: 4 * FollowBatch, AckWait: time.Minute,
		Description: "earshot node " + n.name}
	old, err := n.stream.Consumer(ctx, cfg.Durable)
	switch {
	case err == nil:
		floor := old.CachedInfo().AckFloor.Stream
		n.follow.Lock()
		floor = max(floor, n.follow.committed) // committed here already: no need to see it again
		n.follow.Unlock()
		if floor > 0 {
			cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, floor+1
		}
		if err := n.stream.DeleteConsumer(ctx, cfg.Durable); err != nil {
			return nil, err
		}
	case !errors.Is(err, jetstream.ErrConsumerNotFound):
		return nil, err
	default:
		if seq := n.Restored(); seq > 0 { // a store restored from a snapshot: the stream after it
			cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, seq+1
		}
	}
	return n.stream.CreateConsumer(ctx, cfg)
}

// next returns what is available at once (up to FollowBatch), or waits up
// to a second for the next message (a batch fetch would wait for a full
// batch or the whole second).
func (n *Node) next(cons jetstream.Consumer) ([]jetstream.Msg, error) {
	b, err := cons.FetchNoWait(FollowBatch)
	if err != nil {
		return nil, err
	}
	msgs := collect(b)
	if len(msgs) > 0 {
		return msgs, nil // what came is taken, even if the fetch then failed
	}
	if e := b.Error(); e != nil && !errors.Is(e, jetstream.ErrNoMessages) {
		return nil, e
	}
	b, err = cons.Fetch(1, jetstream.FetchMaxWait(time.Second))
	if err != nil {
		return nil, err
	}
	msgs = collect(b)
	if e := b.Error(); e != nil && !errors.Is(e, jetstream.ErrNoMessages) && !errors.Is(e, nats.ErrTimeout) {
		return msgs, e
	}
	return msgs, nil
}

func collect(b jetstream.MessageBatch) []jetstream.Msg {
	var out []jetstream.Msg
	for m := range b.Messages() {
		out = append(out, m)
	}
	return out
}

// commitBatch applies msgs in stream order: each run of mentions in one
// local commit, refreshes and coverage records as they come (replicate.go);
// then acks the last.
func (n *Node) commitBatch(ctx context.Context, local LocalStore, msgs []jetstream.Msg) error {
	for start := 0; start < len(msgs); {
		end := start
		for end < len(msgs) && msgs[end].Subject() == n.names.subject {
			end++
		}
		if end > start {
			if err := n.commitMentions(local, msgs[start:end]); err != nil {
				return err
			}
			start = end
			continue
		}
		if err := n.applyOther(local, msgs[start]); err != nil {
			return err
		}
		start++
	}
	actx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return msgs[len(msgs)-1].DoubleAck(actx)
}

// commitMentions commits a run of mention messages in one transaction
// (n.follow is held).
func (n *Node) commitMentions(local LocalStore, msgs []jetstream.Msg) error {
	ms := make([]store.Mention, 0, len(msgs))
	var stamps []time.Time
	for _, m := range msgs {
		var mn store.Mention
		if err := json.Unmarshal(m.Data(), &mn); err != nil {
			n.log.Error().Err(err).Str("subject", m.Subject()).Msg("cluster: undecodable mention skipped")
			continue
		}
		ms = append(ms, mn)
		// Lag is to the first local commit: a redelivery of what this
		// process committed already is not sampled again.
		if md, err := m.Metadata(); err == nil && md.Sequence.Stream > n.follow.committed {
			stamps = append(stamps, md.Timestamp)
		}
	}
	if len(ms) > 0 {
		if _, err := local.Commit("", ms, nil); err != nil {
			return err
		}
	}
	now := time.Now()
	for _, t := range stamps {
		n.lag.add(now.Sub(t))
	}
	return nil
}

// dropOldConsumers deletes this node's consumers of other incarnations (a
// wiped data dir leaves one behind that would hold messages forever).
func (n *Node) dropOldConsumers(ctx context.Context) {
	l := n.stream.ListConsumers(ctx)
	var old []string
	for ci := range l.Info() {
		name := ci.Config.Durable
		if rest, ok := strings.CutPrefix(name, n.name+"-"); ok && name != n.durable() && isIncarnation(rest) {
			old = append(old, name)
		}
	}
	for _, name := range old {
		if err := n.stream.DeleteConsumer(ctx, name); err == nil {
			n.log.Info().Str("consumer", name).Msg("cluster: deleted the consumer of a former data dir")
		}
	}
}

// isIncarnation reports whether s looks like an incarnation (12 hex digits).
func isIncarnation(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// lagRecorder keeps the latest replication lags: from the stream storing a
// mention to this node committing it locally.
type lagRecorder struct {
	mu   sync.Mutex
	ring [4096]time.Duration
	n    int // samples ever added
}

func (l *lagRecorder) add(d time.Duration) {
	l.mu.Lock()
	l.ring[l.n%len(l.ring)] = d
	l.n++
	l.mu.Unlock()
}

// ReplicationLag returns the p50 and p95 of the latest (up to 4,096)
// replication lags and how many samples they cover (0: no mention yet,
// and both are zero).
func (n *Node) ReplicationLag() (p50, p95 time.Duration, samples int) {
	n.lag.mu.Lock()
	k := min(n.lag.n, len(n.lag.ring))
	s := slices.Clone(n.lag.ring[:k])
	n.lag.mu.Unlock()
	if k == 0 {
		return 0, 0, 0
	}
	slices.Sort(s)
	return quantile(s, 0.50), quantile(s, 0.95), k
}

// quantile is the nearest-rank quantile of sorted s: s[ceil(q·len)−1].
func quantile(s []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}
