package store

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func testOpts() Options {
	return Options{Logger: zerolog.Nop(), LockTimeout: 200 * time.Millisecond, BatchSize: 64}
}

func openT(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(dir, testOpts())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func syncT(t testing.TB, s *Store) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := s.Sync(ctx); err != nil {
		t.Fatalf("sync: %v", err)
	}
}

// mk builds a mention; published is t0 + hours.
func mk(id, title, text string, hours int, brands ...string) Mention {
	return Mention{
		ID: "hackernews:" + id, Network: "hackernews", Source: "hn", NativeID: id,
		URL: "https://news.ycombinator.com/item?id=" + id, Title: title, Text: text,
		Kind: KindMention, Lang: "en", Published: t0.Add(time.Duration(hours) * time.Hour),
		Fetched: t0.Add(time.Duration(hours+1) * time.Hour), Brands: brands,
		EngagementTotal: int64(hours), // no per-key counts: the total is kept as the interactions
	}
}

func commitT(t testing.TB, s *Store, ms ...Mention) CommitResult {
	t.Helper()
	r, err := s.Commit("hn", ms, nil)
	if err != nil {
		t.Fatalf("commit: %v", err)
	}
	return r
}

func find(t testing.TB, s *Store, req SearchRequest) *SearchResult {
	t.Helper()
	if req.Page == 0 {
		req.Page = 1
	}
	res, err := s.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("search %+v: %v", req, err)
	}
	return res
}

// ids returns the native ids of the hits, in order.
func ids(res *SearchResult) []string {
	out := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, h.Mention.NativeID)
	}
	return out
}

func sortedIDs(res *SearchResult) string {
	x := ids(res)
	sort.Strings(x)
	return strings.Join(x, ",")
}

// Generated corpus for benchmarks and the crash test: mixed English and
// Korean posts of ~300 bytes.
var (
	enWords = strings.Fields("battery life update release price support cloud server outage launch phone laptop review customer service app camera screen fast slow broken great terrible pricing plan feature bug fix team developer open source security privacy login payment refund shipping delivery performance")
	koWords = strings.Fields("배터리 업데이트 가격 고객 서비스 출시 카메라 화면 빠르다 느리다 좋다 나쁘다 결제 환불 배송 성능 보안 개발자 앱 기능 오류 수정 리뷰 사용자 요금제")
	brands  = []string{"Acme", "Globex", "Initech", "Umbrella"}
	koBrand = map[string]string{"Acme": "아크미", "Globex": "글로벡스", "Initech": "이니텍", "Umbrella": "엄브렐라"}
	parts   = []string{"은", "는", "이", "가", "를", "의", "에서", "도", ""}
	// one topic word per post: each is in ~2% of posts (mid-frequency)
	topicWords = strings.Fields("kubernetes terraform invoice onboarding webhook dashboard latency migration firmware keyboard charger warranty subscription roadmap benchmark sandbox tutorial keynote partnership acquisition layoffs funding lawsuit recall discount coupon newsletter podcast livestream hackathon conference outage2 downtime incident phishing malware encryption backup analytics compliance gdpr accessibility localization translation pagination caching indexing sharding replication failover")
)

func genMention(r *rand.Rand, n int) Mention {
	brand := brands[r.Intn(len(brands))]
	var b strings.Builder
	ko := r.Intn(3) == 0
	lang := "en"
	if ko {
		lang = "ko"
	}
	b.WriteString(topicWords[r.Intn(len(topicWords))] + " ")
	for b.Len() < 280 {
		switch {
		case r.Intn(12) == 0 && ko:
			b.WriteString(koBrand[brand] + parts[r.Intn(len(parts))])
		case r.Intn(12) == 0:
			b.WriteString(brand)
		case ko && r.Intn(4) != 0:
			b.WriteString(koWords[r.Intn(len(koWords))] + parts[r.Intn(len(parts))])
		default:
			b.WriteString(enWords[r.Intn(len(enWords))])
		}
		b.WriteByte(' ')
	}
	nets := []string{"hackernews", "rss"}
	m := Mention{
		ID: fmt.Sprintf("gen:%d", n), Network: nets[n%2], Source: "gen", NativeID: fmt.Sprint(n),
		URL: fmt.Sprintf("https://example.com/%d", n), Title: brand + " " + enWords[r.Intn(len(enWords))],
		Text: b.String(), Kind: KindMention, Lang: lang, Brands: []string{brand},
		Published: t0.Add(time.Duration(n) * time.Minute), Fetched: t0.Add(time.Duration(n+1) * time.Minute),
		Engagement: map[string]int64{"points": int64(n % 97)}, EngagementTotal: int64(n % 97),
	}
	if n%10 == 0 {
		m.Kind = KindOwned
	}
	return m
}

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		os.Exit(crashChild(dir))
	}
	if dir := os.Getenv(pruneChildEnv); dir != "" {
		os.Exit(pruneChild(dir))
	}
	code := m.Run()
	cleanupBench()
	os.Exit(code)
}
