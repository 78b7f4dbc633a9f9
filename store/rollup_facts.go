package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

// Fact is the narrow projection of one mention that reports scan: what the
// per-author, per-domain, per-language and customer-care figures need,
// without the text. Facts are keyed by published time, like bytime.
type Fact struct {
	Seq       uint64
	Published time.Time // UTC
	ID        string
	Network   string
	Kind      string
	Lang      string
	Label     string // sentiment label, "" when unscored
	Sentiment float64
	// BrandSentiment is Mention.BrandSentiment: the brands whose own
	// sentiment differs from the mention's (see SentimentFor).
	BrandSentiment map[string]BrandSentiment
	Author         string
	// Followers is AuthorFollowers (0 when unknown); Engagement is the
	// mention's interactions (EngagementTotal, negative read as 0);
	// Exposure its views or impressions, ExposureKnown false when the
	// network gives none for it.
	Followers     int64
	Engagement    int64
	Exposure      int64
	ExposureKnown bool
	// Estimated is Mention.PublishedEstimated: Published is when Earshot
	// saw the mention, not when it was written.
	Estimated bool
	// CountedAfter is how long after publication Engagement and Exposure
	// were read: Mention.EngagementAt (the last refresh), else Fetched,
	// minus Published, in whole seconds; 0 when not after publication.
	CountedAfter time.Duration
	Brands       []string // distinct, in stored order
	Topics       []string
	// Host is the lower-cased host of the mention's URL without "www."
	// (the site that published it: news and web sources); LinkHosts the
	// distinct hosts its Links point to, in the same form (at most 32).
	Host      string
	LinkHosts []string
	ReplyTo   string
	// Parent* describe the mention an owned reply answers, when that
	// mention was stored before the reply; ParentPublished is zero otherwise.
	ParentPublished time.Time
	ParentKind      string
	ParentBrands    []string
}

// parentInfo is what a reply's fact keeps of its parent.
type parentInfo struct {
	Published time.Time
	Kind      string
	Brands    []string
}

const (
	factVersion  = 3 // 2: exposure; 3: estimated and counted-after always written
	maxLinkHosts = 32
)

func factOf(m *Mention, seq uint64, p parentInfo) *Fact {
	f := &Fact{
		Seq: seq, Published: m.Published.UTC(), ID: m.ID, Network: m.Network, Kind: m.Kind, Lang: m.Lang,
		Label: m.SentimentLabel, Sentiment: m.Sentiment, Author: m.Author,
		Followers: max(m.AuthorFollowers, 0), Engagement: max(m.EngagementTotal, 0),
		ExposureKnown: m.Exposure != nil, Estimated: m.PublishedEstimated,
		Brands: uniqueBrands(m.Brands), Topics: m.Topics, Host: siteOf(m), ReplyTo: m.ReplyTo,
		ParentPublished: p.Published, ParentKind: p.Kind, ParentBrands: p.Brands,
	}
	if m.Exposure != nil {
		f.Exposure = max(*m.Exposure, 0)
	}
	read := m.EngagementAt
	if read.IsZero() {
		read = m.Fetched
	}
	if !read.IsZero() && read.After(m.Published) {
		f.CountedAfter = read.Sub(m.Published).Truncate(time.Second)
	}
	if math.IsNaN(f.Sentiment) || math.IsInf(f.Sentiment, 0) {
		f.Sentiment = 0
	}
	for b, bs := range m.BrandSentiment {
		if !containsString(f.Brands, b) || (bs.Label == f.Label && bs.Score == f.Sentiment) {
			continue
		}
		if math.IsNaN(bs.Score) || math.IsInf(bs.Score, 0) {
			bs.Score = 0
		}
		if f.BrandSentiment == nil {
			f.BrandSentiment = map[string]BrandSentiment{}
		}
		f.BrandSentiment[b] = bs
	}
	seen := map[string]bool{}
	for _, l := range m.Links {
		h := HostOf(l)
		if h == "" || seen[h] || len(f.LinkHosts) >= maxLinkHosts {
			continue
		}
		seen[h] = true
		f.LinkHosts = append(f.LinkHosts, h)
	}
	sort.Strings(f.LinkHosts)
	return f
}

// HostOf returns the lower-cased host of an absolute http(s) URL without a
// port, a trailing dot or a leading "www.", or "" when u has none.
func HostOf(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") {
		return ""
	}
	h := strings.TrimSuffix(strings.ToLower(p.Hostname()), ".")
	return strings.TrimPrefix(h, "www.")
}

// uniqueBrands drops empty and repeated brand names, keeping order.
func uniqueBrands(bs []string) []string {
	out := make([]string, 0, len(bs))
	for _, b := range bs {
		if b != "" && !containsString(out, b) {
			out = append(out, b)
		}
	}
	return out
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func (f *Fact) encode() []byte {
	b := make([]byte, 0, 128)
	b = append(b, factVersion)
	for _, s := range []string{f.ID, f.Network, f.Kind, f.Lang, f.Label, f.Author, f.Host, f.ReplyTo, f.ParentKind} {
		b = appendString(b, s)
	}
	b = binary.AppendVarint(b, f.Followers)
	b = binary.AppendVarint(b, f.Engagement)
	exposure := int64(-1) // unknown
	if f.ExposureKnown {
		exposure = f.Exposure
	}
	b = binary.AppendVarint(b, exposure)
	b = binary.AppendUvarint(b, math.Float64bits(f.Sentiment))
	var pp int64
	if !f.ParentPublished.IsZero() {
		pp = f.ParentPublished.UnixNano()
	}
	b = binary.AppendVarint(b, pp)
	for _, l := range [][]string{f.Brands, f.Topics, f.LinkHosts, f.ParentBrands} {
		b = binary.AppendUvarint(b, uint64(len(l)))
		for _, s := range l {
			b = appendString(b, s)
		}
	}
	// Estimated (bit 0) and CountedAfter in seconds (the rest), last.
	var est uint64
	if f.Estimated {
		est = 1
	}
	b = binary.AppendUvarint(b, uint64(max(f.CountedAfter/time.Second, 0))<<1|est)
	// Per-brand sentiment, only when a brand's differs (older facts end
	// before it, and read as having none).
	if len(f.BrandSentiment) > 0 {
		b = binary.AppendUvarint(b, uint64(len(f.BrandSentiment)))
		for _, k := range slices.Sorted(maps.Keys(f.BrandSentiment)) {
			b = appendString(b, k)
			b = appendString(b, f.BrandSentiment[k].Label)
			b = binary.AppendUvarint(b, math.Float64bits(f.BrandSentiment[k].Score))
		}
	}
	return b
}

// SentimentFor returns the fact's sentiment toward brand: the brand's own
// when the mention has one, else the mention's.
func (f *Fact) SentimentFor(brand string) (score float64, label string) {
	if b, ok := f.BrandSentiment[brand]; ok {
		return b.Score, b.Label
	}
	return f.Sentiment, f.Label
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decodeFact reads a fact stored under key (published + seq).
func decodeFact(key, v []byte) (*Fact, error) {
	if len(key) != 16 {
		return nil, fmt.Errorf("fact key of %d bytes", len(key))
	}
	if len(v) == 0 || v[0] != factVersion {
		return nil, errors.New("fact of unknown version")
	}
	d := factDecoder{b: v[1:]}
	f := &Fact{
		Published: time.Unix(0, int64(binary.BigEndian.Uint64(key[:8])^(1<<63))).UTC(),
		Seq:       binary.BigEndian.Uint64(key[8:]),
	}
	for _, p := range []*string{&f.ID, &f.Network, &f.Kind, &f.Lang, &f.Label, &f.Author, &f.Host, &f.ReplyTo, &f.ParentKind} {
		*p = d.str()
	}
	f.Followers, f.Engagement = d.varint(), d.varint()
	if e := d.varint(); e >= 0 {
		f.Exposure, f.ExposureKnown = e, true
	}
	f.Sentiment = math.Float64frombits(d.uvarint())
	if pp := d.varint(); pp != 0 {
		f.ParentPublished = time.Unix(0, pp).UTC()
	}
	for _, p := range []*[]string{&f.Brands, &f.Topics, &f.LinkHosts, &f.ParentBrands} {
		n := d.uvarint()
		if n > uint64(len(d.b)) {
			d.err = errors.New("list length out of range")
			break
		}
		if n > 0 {
			*p = make([]string, n)
			for i := range *p {
				(*p)[i] = d.str()
			}
		}
	}
	if tail := d.uvarint(); d.err == nil {
		f.Estimated = tail&1 == 1
		f.CountedAfter = time.Duration(min(tail>>1, 1<<33)) * time.Second
	}
	if d.err == nil && len(d.b) > 0 {
		n := d.uvarint()
		if n > uint64(len(d.b)) {
			d.err = errors.New("brand sentiment count out of range")
		}
		for i := uint64(0); i < n && d.err == nil; i++ {
			if f.BrandSentiment == nil {
				f.BrandSentiment = make(map[string]BrandSentiment, n)
			}
			k, l := d.str(), d.str()
			f.BrandSentiment[k] = BrandSentiment{Label: l, Score: math.Float64frombits(d.uvarint())}
		}
	}
	if d.err != nil {
		return nil, fmt.Errorf("fact seq %d: %w", f.Seq, d.err)
	}
	return f, nil
}

// factIsKind reports whether the encoded fact v is of kind, reading only
// its first three strings (ID, network, kind) in place; a value it cannot
// read is reported as matching, for decodeFact to reject.
func factIsKind(v []byte, kind string) bool {
	if len(v) == 0 || v[0] != factVersion {
		return true
	}
	b := v[1:]
	for i := 0; i < 3; i++ {
		n, w := binary.Uvarint(b)
		if w <= 0 || n > uint64(len(b)-w) {
			return true
		}
		if i == 2 {
			return string(b[w:w+int(n)]) == kind
		}
		b = b[w+int(n):]
	}
	return true
}

// factTopics reads an encoded fact's network, kind and topics in place
// (the slices point into v), skipping the other fields.
func factTopics(v []byte) (network, kind []byte, topics [][]byte, err error) {
	if len(v) == 0 || v[0] != factVersion {
		return nil, nil, nil, errors.New("fact of unknown version")
	}
	d := factDecoder{b: v[1:]}
	for i := 0; i < 9; i++ { // ID, network, kind, lang, label, author, host, reply-to, parent kind
		switch s := d.raw(); i {
		case 1:
			network = s
		case 2:
			kind = s
		}
	}
	d.varint()                                        // followers
	d.varint()                                        // engagement
	d.varint()                                        // exposure
	d.uvarint()                                       // sentiment
	d.varint()                                        // parent published
	for list := 0; list < 2 && d.err == nil; list++ { // brands, then topics
		n := d.uvarint()
		if n > uint64(len(d.b)) {
			d.err = errors.New("list length out of range")
			break
		}
		for j := uint64(0); j < n && d.err == nil; j++ {
			if s := d.raw(); list == 1 {
				topics = append(topics, s)
			}
		}
	}
	return network, kind, topics, d.err
}

// factDecoder reads varints and strings, remembering the first error.
type factDecoder struct {
	b   []byte
	err error
}

func (d *factDecoder) uvarint() uint64 { return readVarint(d, binary.Uvarint) }

func (d *factDecoder) varint() int64 { return readVarint(d, binary.Varint) }

// readVarint reads one number with read (binary.Uvarint or binary.Varint).
func readVarint[T int64 | uint64](d *factDecoder, read func([]byte) (T, int)) T {
	if d.err != nil {
		return 0
	}
	v, n := read(d.b)
	if n <= 0 {
		d.err = errors.New("truncated")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *factDecoder) str() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.err = errors.New("string length out of range")
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}
