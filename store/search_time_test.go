package store

import (
	"context"
	"fmt"
	"math/rand"
	"testing"
	"time"
)

// TestTimeFilterMatchesBruteForce checks the day-term time filter against a
// plain comparison over random ranges: midnights, odd times, open ends.
func TestTimeFilterMatchesBruteForce(t *testing.T) {
	opts := testOpts()
	now := t0.Add(12*24*time.Hour + 5*time.Hour)
	opts.Clock = func() time.Time { return now }
	s, err := Open(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := rand.New(rand.NewSource(3))
	base := midnight(t0)
	var ms []Mention
	for i := range 400 {
		m := mk(fmt.Sprint(i), "", "battery news", 0, "Acme")
		switch i % 5 {
		case 0: // exactly midnight
			m.Published = base.AddDate(0, 0, r.Intn(14))
		default:
			m.Published = base.Add(time.Duration(r.Int63n(int64(14 * 24 * time.Hour))))
		}
		if i == 7 {
			m.Published = now.Add(72 * time.Hour) // after "now": open ends must still find it
		}
		ms = append(ms, m)
	}
	commitT(t, s, ms...)
	syncT(t, s)
	pick := func() time.Time {
		switch r.Intn(4) {
		case 0:
			return time.Time{}
		case 1:
			return base.AddDate(0, 0, r.Intn(16)-1)
		default:
			return base.Add(time.Duration(r.Int63n(int64(16*24*time.Hour))) - 24*time.Hour)
		}
	}
	for i := range 300 {
		from, to := pick(), pick()
		if !from.IsZero() && !to.IsZero() && !from.Before(to) {
			continue
		}
		want := 0
		for _, m := range ms {
			if (from.IsZero() || !m.Published.Before(from)) && (to.IsZero() || m.Published.Before(to)) {
				want++
			}
		}
		res, err := s.Search(context.Background(), SearchRequest{Query: term("battery"), From: from, To: to, Page: 1, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		if int(res.Total) != want {
			t.Fatalf("case %d [%s, %s): %d hits, want %d", i, from, to, res.Total, want)
		}
	}
}
