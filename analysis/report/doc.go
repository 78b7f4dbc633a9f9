// Package report builds Earshot's competitive gap report: for each network
// and brand, in a window of a day, a week or four weeks ending on a given
// date in the configured time zone, the figures of docs/report.md with the
// formula printed beside each group (share of voice by mentions, engagement and
// reach; sentiment; owned posts; customer care; traffic proxy; CompIndex,
// leaders and white space; changes and spikes; audience; topics; emerging
// terms; goals; top mentions).
//
// # Contract
//
// Build reads only the store's rollups (Source): hourly cells for volumes,
// sentiment, engagement, reach, owned posts and reply delays; hour sums
// (store.HourSum, per UTC hour and network: author lists, counts, top-3
// lists and paired replies) for authors, unique reach, voices, languages,
// sites, topics, freshness, top mentions, the candidates of the window's
// spike explanations, owned replies around the window and the previous
// period's topic counts, merged exactly (facts_sums.go) when the window's
// days are whole UTC hours; otherwise per-mention facts in one pass
// (facts.go, the reference the sums are tested against); link counts for the
// traffic proxy; per-UTC-hour word counts for emerging terms, summed into
// local days, read once for emerging terms and every explained spike. The
// phrase sample and the word counts run in goroutines beside the rollup
// reads (their results taken in a fixed order: the bytes do not depend on
// GOMAXPROCS), and nothing is cached between reports. It decodes whole
// mentions only for the few top mentions and spike explanations it links
// and for the capped sample of emerging phrases, which it picks from the
// hourly cells' counts and reads hour by hour (phrase_pick.go). So its
// cost grows with the window's hours and their distinct authors, not with
// the store or the history (see BenchmarkReportScale
// and docs/performance.md, "Weekly report").
//
// Cache (cache.go) serves a report built earlier while nothing it read
// changed: the request resolved, the configuration, whether the window is
// still in progress, every range Build read (recorded as it reads,
// cache_reads.go) checked with the store's per-day modification numbers
// (store.ChangedSince), and the coverage records. A served report is a
// fresh Build's bytes except Meta.Generated, the time it was built. Once
// something it read changed, it is served for at most MaxStale after its
// build started, marked Meta.Stale, while one background rebuild runs;
// then, or when Request.Exact, a request builds (one build per key for
// concurrent requests).
//
// A report is reproducible: Meta states the window and time zone, the
// configuration hash, the data watermark (last mention sequence), and
// FormulaVersion; every list is sorted, no map order leaks, and the only
// clock read is Request.Now. The same data and request give the same bytes
// in every format. Undefined figures (a ratio over zero) are null in JSON
// and "–" in text, never NaN or a division panic; a brand without mentions
// appears with zeros.
//
// Render writes JSON, text, markdown, CSV (long format: section, row,
// column, value) or a standalone HTML page (inline CSS and SVG charts, no
// JavaScript). Text from mentions is escaped for each format: control and
// bidi characters dropped, markdown and HTML escaped, CSV cells that start
// like a formula quoted.
//
// Every day and week is the configured zone's; a week is an ISO week.
// Approximations, stated in the output: a local day built from hourly
// cells and hourly word counts is exact for whole-hour UTC offsets (zones
// with :30 or :45 offsets shift by that much); goals are tracked on 7-day
// blocks over at most 12 weeks; "all networks" means the networks
// reported; emerging phrases are counted on a sample.
//
// Findings ranks what changed (effect × confidence, FindingsFormula), each
// change with its Evidence (the brand's most engaged posts, Report.Drivers,
// and how many of them drew half its interactions), and
// Finding.Sentence writes each in a Locale's language; notes are kept
// keyed (Note) so Report.NotesIn writes them in Korean too, while
// Meta.Notes (JSON, every English output) holds the English lines.
package report
