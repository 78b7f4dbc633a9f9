package ingest

import (
	"context"
	"errors"
	"fmt"
	"github.com/earshot/earshot/listener"
	"math"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/earshot/earshot/listener/match"
	"github.com/earshot/earshot/store"
)

// Matcher says what a post mentions.
type Matcher interface {
	Match(in match.Input) match.Result
}

// Sink stores mentions and source cursors. Commit must save the mentions and
// the cursor in one transaction: either both are stored or neither is.
type Sink interface {
	Cursor(source string) ([]byte, error)
	Commit(source string, ms []store.Mention, cursor []byte) (store.CommitResult, error)
}

// PollSink is implemented by a Sink that records what a poll covered (the
// store): CommitPoll is Commit plus, in the same transaction, the source's
// coverage (docs/report.md "Coverage and calls").
type PollSink interface {
	CommitPoll(source string, ms []store.Mention, cursor []byte, cov store.SourceCoverage) (store.CommitResult, error)
}

// Enricher fills in derived fields of a mention (language, sentiment) before
// it is committed. It is optional.
type Enricher func(m *store.Mention)

// DefaultTimeout is the per-fetch timeout used when a job names none.
const DefaultTimeout = 30 * time.Second

// Pipeline runs one fetch of a source end to end: cursor, fetch, match,
// convert, enrich, commit. The zero value is not usable: Matcher and Sink are
// required. A Pipeline is safe for concurrent use on different sources; the
// caller must not run two fetches of the same source at once.
type Pipeline struct {
	Matcher Matcher
	Sink    Sink
	Enrich  Enricher         // may be nil
	Clock   func() time.Time // nil = time.Now
}

// IngestResult tells what one fetch did.
type IngestResult struct {
	Posts      int  // posts the source returned
	Matched    int  // mentions handed to Commit
	Dropped    int  // posts skipped as unusable (no id), repeated in the batch, or stored under their LegacyNativeID
	Committed  bool // Commit succeeded
	Added      int  // from store.CommitResult
	Duplicates int  // from store.CommitResult
	// Partial is true when the source returned posts and a cursor together
	// with an error, and they were committed.
	Partial bool
	// Warnings are what the source reported that is not a failure
	// (listener.Warning: items a per-poll cap left for later).
	Warnings []string
	Started  time.Time
	Elapsed  time.Duration
}

// Ingest fetches src once with a per-fetch timeout (DefaultTimeout when
// timeout <= 0) and commits what matched together with the next cursor.
//
// The returned error is the fetch error (also on a partial success, when the
// posts were committed anyway), the commit error, or a recovered panic. When
// ctx is cancelled during the fetch the error wraps ctx.Err().
func (p *Pipeline) Ingest(ctx context.Context, src listener.Source, timeout time.Duration) (IngestResult, error) {
	return p.IngestJob(ctx, Job{Source: src, Timeout: timeout})
}

// IngestJob is Ingest of j.Source with j.Timeout. With a PollSink, the
// commit also records the source's coverage: a first poll (no cursor
// stored) that completed without error covers j.Backfill before its fetch
// time; a partial first poll or a later one covers from its fetch time
// (the store keeps the first poll's record).
func (p *Pipeline) IngestJob(ctx context.Context, j Job) (res IngestResult, err error) {
	src, timeout := j.Source, j.Timeout
	clock := p.Clock
	if clock == nil {
		clock = time.Now
	}
	res.Started = clock()
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
			res.Committed = false
		}
		res.Elapsed = clock().Sub(res.Started)
	}()
	if src == nil {
		return res, errors.New("nil source")
	}
	if p.Matcher == nil || p.Sink == nil {
		return res, errors.New("pipeline needs a matcher and a sink")
	}
	name := src.Name()

	cursor, err := p.Sink.Cursor(name)
	if err != nil {
		return res, fmt.Errorf("load cursor: %w", err)
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	fctx, cancel := context.WithTimeout(ctx, timeout)
	posts, next, ferr := src.Fetch(fctx, cursor)
	cerr := fctx.Err()
	if dl, ok := fctx.Deadline(); ok && cerr == nil && ferr != nil && !time.Now().Before(dl) {
		// The deadline passed but the context's timer has not fired yet
		// (a busy machine): it is still a timeout. Context deadlines are
		// wall-clock, so this compares with the wall clock, not clock().
		cerr = context.DeadlineExceeded
	}
	cancel()
	res.Warnings, ferr = listener.SplitWarnings(ferr)
	if ferr != nil {
		switch {
		case ctx.Err() != nil:
			ferr = fmt.Errorf("fetch cancelled: %w", ferr)
		case errors.Is(cerr, context.DeadlineExceeded):
			ferr = fmt.Errorf("fetch timed out after %s: %w", timeout, ferr)
		default:
			ferr = fmt.Errorf("fetch: %w", ferr)
		}
	}
	res.Posts = len(posts)
	if next == nil {
		// Nothing to save: a plain failure, or a source with nothing new
		// that keeps its cursor.
		return res, ferr
	}
	res.Partial = ferr != nil

	fetched := clock().UTC()
	ms, dropped := p.convert(src, posts, fetched)
	res.Matched, res.Dropped = len(ms), dropped

	var cr store.CommitResult
	if ps, ok := p.Sink.(PollSink); ok {
		cov := store.SourceCoverage{Network: src.Network(), Began: fetched}
		if cursor == nil && ferr == nil {
			cov.Lookback = j.Backfill
		}
		cr, err = ps.CommitPoll(name, ms, next, cov)
	} else {
		cr, err = p.Sink.Commit(name, ms, next)
	}
	if err != nil {
		return res, errors.Join(ferr, fmt.Errorf("commit: %w", err))
	}
	res.Committed = true
	res.Added, res.Duplicates = cr.Added, cr.Duplicates
	return res, ferr
}

// Getter is implemented by a Sink that can look a mention up (the store):
// the pipeline then skips a post already stored under its legacy id.
type Getter interface {
	Get(id string) (store.Mention, bool, error)
}

// storedAs reports whether the sink holds post under its legacy native id
// (an upgrade changed how ids are made): a mention of that id whose link
// is on the same host (the legacy id may be another site's item).
func (p *Pipeline) storedAs(network string, post *listener.Post) bool {
	g, ok := p.Sink.(Getter)
	if post.LegacyNativeID == "" || !ok {
		return false
	}
	m, found, err := g.Get(network + ":" + post.LegacyNativeID)
	return err == nil && found && hostOf(m.URL) == hostOf(post.URL)
}

func hostOf(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// convert matches posts and builds the mentions to store, in fetch order.
func (p *Pipeline) convert(src listener.Source, posts []listener.Post, fetched time.Time) ([]store.Mention, int) {
	var ms []store.Mention // most posts match nothing: allocate on demand
	seen := map[string]bool{}
	dropped := 0
	for i := range posts {
		post := &posts[i]
		network := post.Network
		if network == "" {
			network = src.Network()
		}
		nativeID := post.NativeID
		if nativeID == "" {
			nativeID = post.URL // the canonical link stands in for a missing id
		}
		if nativeID == "" || network == "" {
			dropped++
			continue
		}
		res := p.Matcher.Match(match.Input{Network: network, Author: post.Author, Title: post.Title, Text: post.Text})
		if !res.Matched() && !post.Owned {
			continue
		}
		id := network + ":" + nativeID
		if seen[id] || p.storedAs(network, post) {
			dropped++
			continue
		}
		seen[id] = true
		if ms == nil {
			ms = make([]store.Mention, 0, len(posts)-i)
		}
		m := newMention(src.Name(), id, network, nativeID, post, res, fetched)
		if p.Enrich != nil {
			p.Enrich(&m)
		}
		ms = append(ms, m)
	}
	return ms, dropped
}

func newMention(source, id, network, nativeID string, post *listener.Post, res match.Result, fetched time.Time) store.Mention {
	kind := store.KindMention
	if post.Owned || res.OwnedBy != "" {
		kind = store.KindOwned
	}
	published := post.Published.UTC()
	if post.Published.IsZero() {
		published = fetched
	}
	brands := make([]string, 0, len(res.Brands)+1)
	brands = append(brands, res.Brands...)
	brands = appendMissing(brands, res.OwnedBy)
	if post.Owned {
		brands = appendMissing(brands, post.OwnedBrand)
	}
	var topics []string
	if len(res.Topics) > 0 {
		topics = append([]string(nil), res.Topics...)
	}
	var eng map[string]int64
	var total int64
	if len(post.Engagement) > 0 {
		eng = make(map[string]int64, len(post.Engagement))
		for k, v := range post.Engagement {
			eng[k] = v
			total = addSaturating(total, v)
		}
	}
	return store.Mention{
		ID:              id,
		Network:         network,
		Source:          source,
		NativeID:        nativeID,
		URL:             post.URL,
		Title:           post.Title,
		ParentTitle:     post.ParentTitle,
		Text:            post.Text,
		Kind:            kind,
		Author:          post.Author,
		AuthorName:      post.AuthorName,
		AuthorFollowers: max(post.AuthorFollowers, 0),
		Published:       published,
		Fetched:         fetched,
		Lang:            post.Lang,
		Engagement:      eng,
		EngagementTotal: total,
		Brands:          brands,
		Topics:          topics,
		ReplyTo:         replyTo(network, post.ReplyTo),
		Links:           append([]string(nil), post.Links...),

		PublishedEstimated: post.PublishedEstimated || post.Published.IsZero(),
	}
}

// replyTo turns a parent's native id into a mention ID.
func replyTo(network, parent string) string {
	if parent == "" {
		return ""
	}
	return network + ":" + parent
}

func appendMissing(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, v := range list {
		if v == s {
			return list
		}
	}
	return append(list, s)
}

// addSaturating adds a non-negative count to total; negative counts (bad
// input) are ignored and the sum stops at MaxInt64 instead of wrapping.
func addSaturating(total, v int64) int64 {
	if v <= 0 {
		return total
	}
	if total > math.MaxInt64-v {
		return math.MaxInt64
	}
	return total + v
}

// PanicError is a panic recovered during a fetch, reported as its error.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }
