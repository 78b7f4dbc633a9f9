package store

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Verify recounts the hour sums of the sampled hours from their facts: a
// store committed in chunks, rescored and pruned verifies clean; an hour
// sum deleted, or changed behind the store's back, is reported.
func TestVerifyRecountsHourSums(t *testing.T) {
	s, err := Open(t.TempDir(), testOpts())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := rand.New(rand.NewSource(7))
	nets := []string{"hackernews", "reddit"}
	for chunk := range 6 {
		ms := make([]Mention, 0, 60)
		for i := range 60 {
			n := chunk*60 + i
			m := mk(fmt.Sprintf("%05d", n), "acme", "acme battery", r.Intn(30), "acme")
			m.Network = nets[r.Intn(len(nets))]
			m.ID = m.Network + ":" + m.NativeID
			m.Author = fmt.Sprintf("u%d", r.Intn(25)) // repeat authors across hours
			m.AuthorFollowers = int64(r.Intn(1000))
			if r.Intn(3) == 0 {
				m.Brands = append(m.Brands, "globex")
			}
			m.SentimentLabel = []string{"positive", "neutral", "negative"}[r.Intn(3)]
			ms = append(ms, m)
		}
		commitT(t, s, ms...)
	}
	ctx := context.Background()
	for after := uint64(0); ; {
		res, next, err := s.Rescore(ctx, "v2", after, 100, func(m *Mention) {
			m.SentimentModel = "v2"
			if strings.HasSuffix(m.NativeID, "3") {
				m.SentimentLabel = "negative"
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if after = next; res.Done {
			break
		}
	}
	if _, err := s.Prune(ctx, t0.Add(5*time.Hour+30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	verify := func() []string {
		t.Helper()
		rep, err := s.Verify(ctx, VerifyOptions{SampleHours: 10000})
		if err != nil {
			t.Fatal(err)
		}
		if rep.HoursSample < 20 {
			t.Fatalf("%d hours sampled, want every hour", rep.HoursSample)
		}
		var out []string
		for _, p := range rep.Problems {
			out = append(out, p.String())
		}
		return out
	}
	if ps := verify(); len(ps) > 0 {
		t.Fatalf("clean store: %q", ps)
	}

	var gone, changed string
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketHourSums)
		c := b.Cursor()
		k, _ := c.First()
		gone = string(k)
		for k, v := c.Next(); k != nil; k, v = c.Next() {
			sum, err := decodeHourSum(k, v)
			if err != nil {
				return err
			}
			if len(sum.Authors) == 0 {
				continue
			}
			sum.Authors[0].Followers++ // one author's largest followers off by one
			changed = string(slices.Clone(k))
			if err := b.Put([]byte(changed), sum.encode()); err != nil {
				return err
			}
			break
		}
		return b.Delete([]byte(gone))
	})
	if err != nil || changed == "" {
		t.Fatalf("damage: %v (changed %q)", err, changed)
	}
	ps := strings.Join(verify(), "\n")
	for _, want := range []string{
		"rollup_hoursums " + printableKey([]byte(gone)) + ": missing: ",
		"rollup_hoursums " + printableKey([]byte(changed)) + ": differs from the recount of its ",
	} {
		if !strings.Contains(ps, want) {
			t.Errorf("verify says:\n%s\nwant a line with %q", ps, want)
		}
	}
}
