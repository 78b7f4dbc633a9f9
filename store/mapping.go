package store

import (
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/token/unicodenorm"
	"github.com/blevesearch/bleve/v2/mapping"
)

// indexVersion is stored inside the bleve index; an index built by another
// version (other mapping or analysis) is rebuilt from bbolt on Open.
//
// 5: one Korean ending rule (query.KoreanStems) for matcher and index;
// Hangul letters (ㅋㅋ) split from syllables as query.Tokenize does.
// 6: fieldCompound, the suffixes of Korean words for compound search.
// 7: fieldBrandSentiment, each brand's own sentiment label.
// 8: fieldTopic and fieldReply, for the report's figure links.
// 9: one index per calendar month (index/YYYY-MM.bleve, index_part.go);
// the single index.bleve of 8 is removed and rebuilt at open.
// 10: one index per ISO week (index/YYYY-Www.bleve); the monthly
// partitions of 9 are removed and rebuilt at open.
const indexVersion = "earshot-index-10"

// Index field names.
const (
	// fieldBody is the title and the text of a mention, analysed as one
	// field: a term is one term search rather than a disjunction over two
	// fields, which took keyword search at 5% of 1M mentions from 23 to
	// 4.5 ms p95 and faceted search from 105 to 51 ms (earshot-bench loadtest),
	// and a document has one text field less to invert.
	fieldBody      = "body"
	fieldBrand     = "brand"
	fieldNetwork   = "network"
	fieldLang      = "lang"
	fieldKind      = "kind"
	fieldPublished = "published"
	// fieldSentiment is the sentiment label (positive, neutral, negative).
	fieldSentiment = "sentiment"
	// fieldBrandSentiment holds brand + "\x1f" + label for each brand of
	// the mention, with the brand's own label (Mention.SentimentFor): a
	// search for a brand and a label filters on it.
	fieldBrandSentiment = "brand_sentiment"
	// fieldTopic holds the topic names a mention matched; fieldReply is
	// replyYes when the post replies to another (reply_to set).
	fieldTopic = "topic"
	fieldReply = "reply"
	// fieldDay is the UTC day of publication (YYYY-MM-DD), for day facets.
	fieldDay = "day"
	// fieldSortTime and fieldSortEngagement are one fixed-width keyword per
	// document (published as 16 hex digits of Unix nanoseconds; the
	// engagement total as 19 zero-padded digits) with doc values, used only
	// for sorting. A bleve datetime or numeric field keeps every
	// precision-step term in its doc values, so sorting on it decompresses
	// several times more data per hit: at 1M mentions that dominated every
	// query (measured with earshot-bench loadtest).
	fieldSortTime       = "ts"
	fieldSortEngagement = "eng"
	// fieldDayNum is the UTC day of publication as days since 1970, a
	// numeric field for time filters: a range over whole days enumerates a
	// handful of precision-step terms, where one over the nanosecond
	// datetime enumerates thousands.
	fieldDayNum = "dayn"
	// fieldCompound holds the suffixes of the body's Korean words for
	// compound search (*배터리 finds 보조배터리; compound.go).
	fieldCompound = "cpd"
)

// newIndexMapping returns the static mapping: body (title and text) analysed by the
// earshot analyzer, not stored, no term vectors, not in _all; keyword fields
// with doc values (they are faceted); published as a datetime with doc values
// (sorted and range-filtered); sentiment and day are keyword fields with doc
// values (filtered and faceted); ts and eng are sort keys with doc values;
// published is a datetime without doc values (range filters). Nothing is stored: hits are read from bbolt.
func newIndexMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomTokenFilter(nfkcFilterName, map[string]interface{}{
		"type": unicodenorm.Name,
		"form": unicodenorm.NFKC,
	}); err != nil {
		return nil, err
	}
	base := []string{nfkcFilterName, lowercase.Name, en.PossessiveName, cjk.BigramName, porter.Name}
	if err := im.AddCustomAnalyzer(indexAnalyzerName, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     scriptTokenizerName,
		"token_filters": append(append([]string{}, base...), koreanFilterName),
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(queryAnalyzerName, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     scriptTokenizerName,
		"token_filters": append(append([]string{}, base...), koreanQueryName),
	}); err != nil {
		return nil, err
	}

	if err := im.AddCustomAnalyzer(compoundAnalyzerName, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     scriptTokenizerName,
		"token_filters": append(append([]string{}, base...), compoundFilterName),
	}); err != nil {
		return nil, err
	}

	text := bleve.NewTextFieldMapping()
	text.Analyzer = indexAnalyzerName
	text.Store = false
	text.IncludeTermVectors = false
	text.IncludeInAll = false
	text.DocValues = false

	keyword := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = true
		return f
	}
	published := bleve.NewDateTimeFieldMapping()
	published.Store = false
	published.IncludeInAll = false
	published.DocValues = false // range filters only; sorting uses fieldSortTime

	compound := bleve.NewTextFieldMapping()
	compound.Analyzer = compoundAnalyzerName
	compound.Store = false
	compound.IncludeTermVectors = false
	compound.IncludeInAll = false
	compound.DocValues = false

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldBody, text)
	doc.AddFieldMappingsAt(fieldCompound, compound)
	doc.AddFieldMappingsAt(fieldBrand, keyword())
	doc.AddFieldMappingsAt(fieldNetwork, keyword())
	doc.AddFieldMappingsAt(fieldLang, keyword())
	doc.AddFieldMappingsAt(fieldKind, keyword())
	doc.AddFieldMappingsAt(fieldPublished, published)
	doc.AddFieldMappingsAt(fieldSentiment, keyword())
	doc.AddFieldMappingsAt(fieldBrandSentiment, keyword())
	doc.AddFieldMappingsAt(fieldTopic, keyword())
	doc.AddFieldMappingsAt(fieldReply, keyword())
	doc.AddFieldMappingsAt(fieldDay, keyword())
	dayNum := bleve.NewNumericFieldMapping()
	dayNum.Store = false
	dayNum.IncludeInAll = false
	dayNum.DocValues = false
	doc.AddFieldMappingsAt(fieldDayNum, dayNum)
	doc.AddFieldMappingsAt(fieldSortTime, keyword())
	doc.AddFieldMappingsAt(fieldSortEngagement, keyword())

	im.DefaultMapping = doc
	im.DefaultAnalyzer = indexAnalyzerName
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	return im, nil
}

// indexFields is the subset of a stored mention that the index needs; decoding
// only these fields keeps the indexer cheap.
type indexFields struct {
	ID        string    `json:"id"`
	Network   string    `json:"network"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	Kind      string    `json:"kind"`
	Published time.Time `json:"published"`
	Lang      string    `json:"lang"`
	Brands    []string  `json:"brands"`
	Topics    []string  `json:"topics"`
	ReplyTo   string    `json:"reply_to"`

	EngagementTotal int64                     `json:"engagement_total"`
	SentimentLabel  string                    `json:"sentiment_label"`
	BrandSentiment  map[string]BrandSentiment `json:"brand_sentiment"`
}

// replyYes is the fieldReply term of a reply.
const replyYes = "yes"

// brandSentimentTerm is the fieldBrandSentiment term of brand and label.
func brandSentimentTerm(brand, label string) string { return brand + "\x1f" + label }

// indexDoc returns the bleve document for f, leaving out empty values so
// that no empty keyword terms show up in facets.
func indexDoc(f indexFields) map[string]interface{} {
	d := make(map[string]interface{}, 10)
	switch {
	case f.Title != "" && f.Text != "":
		// A line break ends every token and bigram: nothing spans the two.
		d[fieldBody] = f.Title + "\n" + f.Text
	case f.Title != "":
		d[fieldBody] = f.Title
	case f.Text != "":
		d[fieldBody] = f.Text
	}
	if body, ok := d[fieldBody].(string); ok && hasSyllable(body) {
		d[fieldCompound] = body
	}
	if len(f.Brands) > 0 {
		d[fieldBrand] = f.Brands
	}
	if f.Network != "" {
		d[fieldNetwork] = f.Network
	}
	if f.Lang != "" {
		d[fieldLang] = f.Lang
	}
	if f.Kind != "" {
		d[fieldKind] = f.Kind
	}
	if f.SentimentLabel != "" {
		d[fieldSentiment] = f.SentimentLabel
	}
	if len(f.Topics) > 0 {
		d[fieldTopic] = f.Topics
	}
	if f.ReplyTo != "" {
		d[fieldReply] = replyYes
	}
	var bs []string
	for _, b := range f.Brands {
		label := f.SentimentLabel
		if o, ok := f.BrandSentiment[b]; ok {
			label = o.Label
		}
		if label != "" {
			bs = append(bs, brandSentimentTerm(b, label))
		}
	}
	if len(bs) > 0 {
		d[fieldBrandSentiment] = bs
	}
	d[fieldPublished] = f.Published
	d[fieldDay] = f.Published.UTC().Format(time.DateOnly)
	d[fieldDayNum] = float64(dayNumber(f.Published))
	d[fieldSortTime] = sortTime(f.Published)
	d[fieldSortEngagement] = fmt.Sprintf("%019d", max(f.EngagementTotal, 0))
	return d
}

// dayNumber is t's UTC day as days since 1970-01-01 (negative before).
func dayNumber(t time.Time) int64 {
	sec := t.Unix()
	d := sec / 86400
	if sec%86400 < 0 {
		d--
	}
	return d
}

// sortTime is t as a fixed-width string that sorts like t: Unix
// nanoseconds with the sign bit flipped, so times before 1970 sort first.
func sortTime(t time.Time) string {
	return fmt.Sprintf("%016x", uint64(t.UnixNano())^(1<<63))
}
