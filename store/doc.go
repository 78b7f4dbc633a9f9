// Package store keeps Earshot's mentions: bbolt is the source of truth, a
// bleve index derived from it serves search.
//
// # Durability and identity
//
// Commit writes a batch of mentions and the source's cursor in ONE bbolt
// transaction (fsynced on commit): after a crash either the whole batch and
// its cursor are stored or none of it, so a source restarted from its saved
// cursor neither skips nor double-stores posts. A mention's identity is its
// ID ("<network>:<native id>"); a mention whose ID is already stored (or
// repeated in the same batch) is counted as a duplicate and skipped, the
// first stored version wins. Mentions are JSON in bbolt: a stable,
// self-describing encoding that survives added fields and can be read with
// plain bbolt tooling; encoding costs microseconds next to the hundreds bleve
// spends per document.
//
// bbolt layout (schema version 1, checked on open; a newer schema is
// refused): meta (schema, index watermark, index_part/YYYY-Www: the sequence each weekly partition must record), mentions (big-endian insertion
// sequence → JSON; the log the index follows), byid (ID → sequence), bytime
// (published time + sequence, for range scans and retention), cursors
// (source → cursor), counts (rollup counters behind Stats, kept in the same
// transaction), source_coverage (source → what its polls covered, written
// by CommitPoll with the cursor; CoveredFrom is the network rule). The file is locked: a second process on the same data dir
// fails after Options.LockTimeout with "data dir X is in use by another
// earshot process".
//
// # Engagement refresh
//
// Commit also enters every mention that came with counts into the refresh
// schedule (refresh_due: due time + seq → ID, the next age of RefreshAges
// after its counts were read). DueRefreshes reads what is due;
// ApplyRefreshes stores a refresh's outcome in one transaction: the new
// counts in the log record (rewritten in place at its seq), its fact and
// its cells changed by cellOf(new) − cellOf(old), its hour sum recomputed
// from the hour's facts (rollup_hoursum.go), the next due time, and
// the seq in the reindex bucket, which the indexer drains (re-indexing the
// mention, whose engagement sorts searches) once its watermark covers it;
// Sync waits for that too. A rebuild from the log reads the refreshed
// records, so it gives the rollups the refreshes made.
//
// # Retention, compaction, backup
//
// Prune deletes mentions published before a cut-off from the log, byid,
// bytime, the counters and every rollup (rollup_replies pairs owned replies
// with their parents so a kept reply loses a pruned parent's response time),
// at most 1,000 per transaction; the pruned IDs go to the unindex bucket in
// the same transaction and are deleted from bleve after it (on the next Open
// after a crash). The cut-off is kept in meta (pruned_before): Commit counts
// mentions published before it as duplicates, and tombstones keep undated
// pruned IDs out for one more retention period. Compact copies the live
// data into a new file and renames it in; Snapshot copies the database into
// an unlinked temporary file under one short read transaction (a slow
// consumer never holds the store) and Backup streams that; Restore installs one and drops the index (derived, never
// backed up) so that Open rebuilds it.
//
// # The index is derived
//
// A background indexer follows the mention log from the watermark (the last
// sequence indexed) in batches, indexes them into bleve and then advances the
// watermark in bbolt. It takes the mentions of recent commits from a bounded
// in-memory queue (filled only after their transaction committed) and reads
// the log from bbolt whenever the queue cannot continue from the watermark
// (after a restart, a full queue or a prune). While the index lags by more
// than half the queue, Commit waits for the indexer (at most 2 s per call,
// not while it fails), so that ingest runs at the speed of the index. After
// a wake-up with less than a batch waiting, the indexer gathers commits for
// up to Options.IndexGather (indexer_gather.go); Sync and Close do not wait
// for it. When everything after the watermark was pruned, the watermark
// moves to the log's last sequence.
// Searches hold a gate while they run; YieldToSearches lets background
// work wait for them, at most 20 ms a call (index_gate.go).
//
// # Weekly partitions
//
// The index is one bleve index per ISO week (Monday 00:00 UTC to the next
// Monday) of the published time, data_dir/index/YYYY-Www.bleve with the
// ISO week-year (index_part.go); a step writes each mention into its
// week's partition, creating it when missing. A search opens only the
// partitions of the weeks its From/To window touches and searches them
// together through a bleve IndexAlias (hits merged in the request's sort
// order, totals added; relevance scores are per week), and their facets
// are counted exactly from postings bitmaps and added (facets_bitmap.go);
// a partition wholly inside the window is searched without the time
// filter, one the window cuts with the filter narrowed to the cutting edge
// (search_window.go). There is one watermark for the whole index; each
// partition records in itself the sequence of the last step that wrote to
// it (earshot_index_seq, written after its documents), and the database
// records the same per week (meta index_part/YYYY-Www) in the transaction
// that advances the watermark. A partition therefore holds every mention of
// its week up to its sequence, and the database's record says which
// sequence that must be. bleve may persist a batch before the watermark
// moves; after a crash that batch is indexed again, which is idempotent
// (same document ID, same content). On Open (partitionAgrees) a partition
// equal to its record is current; one ahead of it but within the log (a
// crash between the partition's write and the database's) is kept and the
// step replayed: the watermark is NOT adopted, because each partition
// persists on its own and another partition of the same step may not have
// persisted its documents. One behind its record (an old copy swapped in),
// past the log (an old earshot.db restored beside it), without a record,
// unreadable or of another indexVersion is removed, and so is the
// partition of a week with mentions but none on disk: the watermark goes
// back to just before the first mention of each such week (to 0 when no
// partition is left, as when the single index.bleve of version 8 or the
// monthly partitions of version 9 are removed), so the indexer rebuilds
// them by replay. Reindex builds every week into a new directory, weeks in
// parallel (at most GOMAXPROCS), lowers the watermark to where the build
// started and records it in the new partitions and the database, then
// swaps them in (a crash in between leaves old partitions ahead of the
// record, kept, or new ones equal to it). Retention drops whole partitions
// of weeks wholly before the cut-off (the indexer skips those weeks) and
// deletes pruned documents only from the cut-off's week. MergeIndex
// (index_merge.go) force-merges one complete, quiet week into a single
// segment, holding no store lock: the partition stays searchable and
// writable, no document changes, and a crash leaves bleve's last persisted
// snapshot (the caller, the daemon, runs it hourly, throttled).
//
// Search is eventually consistent with Commit; Sync waits until everything
// committed before it is indexed. Close indexes what is left, then closes
// bleve and bbolt.
//
// # Analysis
//
// The title and the text are indexed as one field, body (the title, a line
// break, the text: no token or bigram spans the two), analysed (NFKC, lower case, English possessive, CJK
// bigrams for Han/kana, Porter stemming: battery finds batteries), not
// stored and without term vectors; brand, network, lang and kind are keyword
// fields with doc values (faceted); published is a datetime with doc values.
// Words mixing Hangul with another script are split ("Acme의" → acme; the
// lone particle is dropped). Hangul words are indexed as written AND with
// trailing particles stripped, at the same position (삼성에서는 → 삼성에서는,
// 삼성에서, 삼성); queries are not stripped. So 삼성 finds 삼성은/삼성이/
// 삼성에서 but not 삼성동 (no particle) or 삼성전자 (use the prefix 삼성*), and
// 삼성에서 finds only 삼성에서(…). This mirrors how brand terms are matched
// (the term starts a word and only particles may follow); a Hangul bigram
// field would find compounds but also 삼성동, and double the Korean index.
//
// # What Search guarantees
//
// Terms match analysed tokens (all tokens of a term in the title and text).
// A prefix (at least 2 characters) is matched against indexed terms, which
// are stemmed: "batter*" finds batteries, "running*" does not find running.
// Filters are exact and do not change scores; relevance sorts by score
// (equal scores newest first within a page; exports break ties fully so
// paging is stable), newest by published time, engagement by the total. Phrases and NEAR are not checked by the
// index (it keeps no term vectors, which keeps ingest fast): the first 2,000
// candidates (all of the query's terms present) are verified one by one
// against the mention in bbolt with the same analysis; hits, paging and
// facets then cover verified mentions only, and when more than 2,000
// candidates matched Total is an upper bound (TotalIsUpperBound). Hits are
// read from bbolt; a snippet is HTML-escaped with <mark> around matched
// words. An invalid request returns an error wrapping ErrBadRequest.
package store
