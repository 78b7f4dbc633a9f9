// Package gen generates seeded, realistic streams of mentions for
// benchmarks and soak tests: brand and network skew, Zipf-distributed words
// in English and Korean, heavy-tailed engagement and follower counts, owned
// posts, and brand replies to complaints. The same Options give the same
// stream.
package gen

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"math/rand"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// Options shape a stream. Zero fields take the defaults in New.
type Options struct {
	Seed     int64
	Mentions int       // default 10,000
	Start    time.Time // default 2025-01-06 (a Monday), UTC
	Weeks    int       // default 52
	Brands   []string  // first is the own brand; default Brand0..Brand9
	Networks []string  // default Networks
	// Growth is how many times denser the stream is at its end than at its
	// start: the density grows exponentially over the span, so recent weeks
	// hold more mentions than old ones, as a growing category does. ≤ 1
	// spreads the mentions evenly (the default).
	Growth float64
	// Span, when set, replaces Weeks as the stream's length (a live feed
	// of the last day, say).
	Span time.Duration
	// IDPrefix starts every native id ("g" when empty): two streams with
	// different prefixes never share an id.
	IDPrefix string
}

// Networks is the default network list, most active first: the rows of the
// networks table (config.Networks) with a Volume rank, sorted by it.
var Networks = volumeOrder(config.Networks())

// volumeOrder returns the names of the ranked networks, busiest first.
func volumeOrder(table []config.Network) []string {
	ranked := slices.DeleteFunc(slices.Clone(table), func(n config.Network) bool { return n.Volume <= 0 })
	slices.SortStableFunc(ranked, func(a, b config.Network) int { return cmp.Compare(a.Volume, b.Volume) })
	out := make([]string, len(ranked))
	for i, n := range ranked {
		out[i] = n.Name
	}
	return out
}

// Generator yields mentions in published order.
type Generator struct {
	o       Options
	r       *rand.Rand
	i       int
	step    time.Duration
	brandZ  *rand.Zipf
	netZ    *rand.Zipf
	enZ     *rand.Zipf
	koZ     *rand.Zipf
	pending map[string][]pendingComplaint // brand → recent complaints awaiting a reply
}

type pendingComplaint struct {
	id        string
	network   string
	published time.Time
}

// New returns a generator for o.
func New(o Options) *Generator {
	if o.Mentions <= 0 {
		o.Mentions = 10000
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	}
	if o.Weeks <= 0 {
		o.Weeks = 52
	}
	if len(o.Brands) == 0 {
		for i := 0; i < 10; i++ {
			o.Brands = append(o.Brands, fmt.Sprintf("Brand%d", i))
		}
	}
	if len(o.Networks) == 0 {
		o.Networks = Networks
	}
	if o.Span <= 0 {
		o.Span = time.Duration(o.Weeks) * 7 * 24 * time.Hour
	}
	if o.IDPrefix == "" {
		o.IDPrefix = "g"
	}
	r := rand.New(rand.NewSource(o.Seed))
	return &Generator{
		o: o, r: r,
		step:    o.Span / time.Duration(o.Mentions),
		brandZ:  rand.NewZipf(r, 1.3, 2, uint64(len(o.Brands)-1)),
		netZ:    rand.NewZipf(r, 1.2, 1.5, uint64(len(o.Networks)-1)),
		enZ:     rand.NewZipf(r, 1.1, 3, uint64(len(enWords)-1)),
		koZ:     rand.NewZipf(r, 1.1, 3, uint64(len(koWords)-1)),
		pending: map[string][]pendingComplaint{},
	}
}

// Domain is the generated own domain of a brand.
func Domain(brand string) string { return strings.ToLower(brand) + ".example" }

// Next returns the next mention; ok is false after Options.Mentions.
func (g *Generator) Next() (m store.Mention, ok bool) {
	if g.i >= g.o.Mentions {
		return m, false
	}
	i := g.i
	g.i++
	r := g.r
	published := g.published(i)
	brand := g.o.Brands[g.brandZ.Uint64()]
	network := g.o.Networks[g.netZ.Uint64()]
	m = store.Mention{
		ID: fmt.Sprintf("%s:%s%d", network, g.o.IDPrefix, i), Network: network, Source: network, NativeID: fmt.Sprintf("%s%d", g.o.IDPrefix, i),
		URL: fmt.Sprintf("https://%s.example.net/p/%s", network, strings.TrimPrefix(fmt.Sprintf("%s%d", g.o.IDPrefix, i), "g")), Kind: store.KindMention,
		Author:    fmt.Sprintf("user%d", int(math.Floor(math.Pow(r.Float64(), 3)*float64(g.o.Mentions/4+1)))),
		Published: published, Fetched: published.Add(time.Minute), Brands: []string{brand},
	}
	if r.Intn(10) == 0 { // comparisons name a second brand
		if b2 := g.o.Brands[g.brandZ.Uint64()]; b2 != brand {
			m.Brands = append(m.Brands, b2)
		}
	}
	if r.Intn(10) < 7 {
		m.AuthorFollowers = int64(math.Exp(r.NormFloat64()*1.8 + 5))
	}
	m.EngagementTotal = int64(math.Exp(r.NormFloat64()*1.5 + 1.5))
	m.Engagement = map[string]int64{interactionKey(network): m.EngagementTotal}
	g.text(&m, brand)
	if strings.Contains(m.Text, "battery") || strings.Contains(m.Text, "배터리") {
		m.Topics = []string{"battery"}
	}
	switch x := r.Float64(); {
	case x < 0.35:
		m.SentimentLabel, m.Sentiment = "positive", 0.2+0.8*r.Float64()
	case x < 0.6:
		m.SentimentLabel, m.Sentiment = "negative", -0.2-0.8*r.Float64()
		g.pending[brand] = append(g.pending[brand], pendingComplaint{m.ID, network, published})
	default:
		m.SentimentLabel, m.Sentiment = "neutral", 0.4*r.Float64()-0.2
	}
	if r.Intn(12) == 0 {
		m.Links = []string{fmt.Sprintf("https://www.%s/product/%d", Domain(brand), r.Intn(50))}
	} else if r.Intn(5) == 0 {
		m.Links = []string{fmt.Sprintf("https://news%d.example.org/a/%d", r.Intn(20), i)}
	}
	if r.Intn(20) == 0 {
		g.owned(&m, brand)
	}
	return m, true
}

// published is the time of the i-th mention: evenly spread with jitter
// within its step, or, with Growth > 1, at the inverse of the exponential
// density's distribution function (Offset) of (i + jitter)/n. Both keep the
// stream in published order.
func (g *Generator) published(i int) time.Time {
	if g.o.Growth <= 1 {
		return g.o.Start.Add(time.Duration(i)*g.step + time.Duration(g.r.Int63n(int64(g.step)+1)))
	}
	u := (float64(i) + g.r.Float64()) / float64(g.o.Mentions)
	return g.o.Start.Add(time.Duration(Offset(u, g.o.Growth) * float64(g.o.Span)))
}

// Offset is the inverse of the distribution function of a density that
// grows exponentially from 1 to growth over [0, 1]: the fraction of the
// span before which a fraction u of the stream is published. With k =
// ln(growth), F(t) = (e^(kt) − 1)/(e^k − 1), so t = ln(1 + u(e^k − 1))/k.
// growth ≤ 1 is the even spread, t = u.
func Offset(u, growth float64) float64 {
	if growth <= 1 {
		return u
	}
	k := math.Log(growth)
	return math.Log1p(u*(growth-1)) / k
}

// Share is F above: the fraction of the stream published before the
// fraction t of the span; 1 − Share(1 − d/span) is the share of the last d.
func Share(t, growth float64) float64 {
	if growth <= 1 {
		return t
	}
	return math.Expm1(t*math.Log(growth)) / (growth - 1)
}

// End is the end of the stream's span (Start + Span), with o's defaults.
func (g *Generator) End() time.Time { return g.o.Start.Add(g.o.Span) }

// owned turns m into the brand's own post, a reply to a pending complaint
// most of the time.
func (g *Generator) owned(m *store.Mention, brand string) {
	m.Kind, m.Author, m.Brands = store.KindOwned, strings.ToLower(brand)+"_support", []string{brand}
	m.SentimentLabel, m.Sentiment = "neutral", 0
	p := g.pending[brand]
	if len(p) == 0 || g.r.Intn(4) == 0 {
		return
	}
	c := p[len(p)-1]
	g.pending[brand] = p[:len(p)-1]
	if len(g.pending[brand]) > 50 {
		g.pending[brand] = g.pending[brand][len(g.pending[brand])-50:]
	}
	m.ReplyTo, m.Network = c.id, c.network
	m.ID = fmt.Sprintf("%s:%s", c.network, m.NativeID)
}

// text writes a short post in English (80%) or Korean naming the brand.
func (g *Generator) text(m *store.Mention, brand string) {
	r := g.r
	n := 6 + r.Intn(18)
	words := make([]string, 0, n+1)
	if r.Intn(5) == 0 {
		m.Lang = "ko"
		for j := 0; j < n; j++ {
			words = append(words, koWords[g.koZ.Uint64()])
		}
		words = append(words, brand+"의")
	} else {
		m.Lang = "en"
		for j := 0; j < n; j++ {
			words = append(words, enWords[g.enZ.Uint64()])
		}
		words = append(words, brand)
	}
	r.Shuffle(len(words), func(a, b int) { words[a], words[b] = words[b], words[a] })
	m.Text = strings.Join(words, " ")
}

var enWords = strings.Fields(`the battery is great support slow update price app crash phone screen camera shipping
refund customer service love hate new launch feature bug fix release review cheap expensive fast quality design
charger delivery order account login privacy security outage down working broken amazing terrible recommend switch
better worse subscription plan trial free premium team response ticket wait hours days week sale deal discount
store install android ios desktop sync cloud backup storage upload speed network signal wifi bluetooth display
keyboard sound speaker microphone video stream music podcast game performance memory lag freeze reboot warranty`)

var koWords = strings.Fields(`배터리 최고 고객 서비스 느려요 업데이트 가격 앱 오류 화면 카메라 배송 환불 상담 좋아요 별로 신제품 출시 기능
버그 수정 리뷰 저렴 비싸요 빠름 품질 디자인 충전기 주문 계정 로그인 보안 장애 고장 추천 구독 요금제 무료 할인
설치 동기화 클라우드 저장 속도 네트워크 와이파이 블루투스 소리 영상 음악 게임 성능 메모리 재부팅 보증 답변 대기`)

// interactionKey is an interaction count the network's listener gives
// (the networks table's first, by name), "likes" when it gives none: such
// a network's interactions are unknown, as they are for real.
func interactionKey(network string) string {
	row, _ := config.LookupNetwork(network)
	for _, k := range slices.Sorted(maps.Keys(row.Engagement)) {
		if row.Engagement[k] == config.Interaction {
			return k
		}
	}
	return "likes"
}
