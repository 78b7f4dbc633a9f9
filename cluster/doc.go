// Package cluster runs several Earshot nodes as one, on NATS JetStream: no
// home-made consensus, only JetStream's replicated streams and key-value
// buckets.
//
// The contract:
//
//   - A Node joins a NATS cluster: the servers named by [cluster]
//     nats_urls, or a NATS server embedded in this process (StartServer:
//     JetStream on, its store under data_dir/nats, routes to the other
//     nodes). Open creates or updates the stream and buckets (replicas from
//     the config) and retries while the cluster elects its leaders.
//   - Leases: a lease is a key in a KV bucket whose MaxAge is the lease TTL.
//     Acquire is KV Create (only when the key is absent), renew is KV
//     Update with the revision last written (so a lease taken over is never
//     renewed by its old holder), release is Delete with that revision. A
//     node renews every TTL/4, all held leases at once and apart from the
//     lookups for free ones, each attempt given until its lease's deadline;
//     a renewal that finds its own record a revision on (an earlier one
//     landed, its reply lost) adopts it. Holds(key) is true only until the last
//     successful renewal's start + TTL, measured on this node's monotonic
//     clock, so a partitioned holder stops before the server expires its
//     key and another node may take it. A dead node's leases are free
//     after at most the TTL and taken at the next tick (TTL/4). Among live
//     nodes the preferred holder of a key (each kind's keys dealt round the
//     nodes in turn) takes a free key at once, the others one tick later;
//     a node holding more source leases than its share (ceil(sources/live
//     nodes)) hands one a round to its preferred holder, so sources spread
//     over the nodes and move back when a node returns.
//   - Config hash: every node announces Hash(config) in its heartbeat. A
//     node whose hash differs from the one most live nodes run (ties go to
//     the longest-running node) releases its leases, takes none, and says
//     why in the log and in Status.
//   - Sources: LeasedSource polls only while this node holds the source's
//     lease (otherwise Fetch returns nothing and commits nothing). The Sink
//     keeps cursors in KV: Commit publishes the matched mentions to the
//     stream with Nats-Msg-Id = mention id, waits for every ack, and only
//     then advances the cursor by compare-and-set on the revision it read;
//     a failed publish or a lost race leaves the cursor where it was, so
//     the next fetch asks again (and deduplication absorbs the repeat).
//   - Mentions are a replicated log: every node's Follow consumes the
//     stream with its own durable consumer (named after the node and the
//     incarnation of its data dir) into its local store, whose Commit is
//     idempotent by mention id; each batch is acked only after the local
//     commit, and only up to the first gap in the consumer's delivery
//     sequence (a delivery the client dropped would otherwise be acked
//     unseen by ack-all): at a gap the consumer is recreated from its ack
//     floor. A new or wiped data dir gets a new incarnation, hence a new
//     consumer that starts at the beginning of the stream: the node
//     rebuilds. The stream keeps mentions for [earshot] retention.
//   - Exactly one sender: Singleton runs a function (the digest runner,
//     alert delivery) only while this node holds its lease and cancels it
//     when the lease is lost; Ledger keeps the digest delivery records in
//     KV so the next holder skips what was sent.
//   - Status reads nodes, leases and each node's consumer lag from the
//     servers; it needs no running node.
//
// Lease timing uses real (monotonic) time because the servers expire keys
// in real time; the injected clock only stamps records.
package cluster
