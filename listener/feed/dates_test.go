package feed

import (
	"testing"
	"time"
)

// A post's date is when it was first published: Atom's <published> wins
// over <updated> (an edit does not make an old post new), <updated> stands
// in when <published> is missing, and a date before 1971 (a generator's
// "no date") is replaced by the fetch time and marked estimated.
func TestAtomPublishedBeforeUpdated(t *testing.T) {
	const doc = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>t</title><id>urn:feed</id><updated>2026-11-20T00:00:00Z</updated>
  <entry><id>urn:both</id><title>both</title>
    <published>2026-11-01T08:00:00Z</published><updated>2026-11-19T09:30:00Z</updated></entry>
  <entry><id>urn:updated-only</id><title>updated only</title>
    <updated>2026-11-18T10:00:00+09:00</updated></entry>
  <entry><id>urn:epoch</id><title>epoch</title>
    <published>1970-01-01T00:00:00Z</published></entry>
</feed>`
	ps, err := parse([]byte(doc), "https://example.com/atom.xml", now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		t         time.Time
		estimated bool
	}{
		"urn:both":         {time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC), false},
		"urn:updated-only": {time.Date(2026, 11, 18, 1, 0, 0, 0, time.UTC), false},
		"urn:epoch":        {now, true},
	}
	if len(ps) != len(want) {
		t.Fatalf("%d posts, want %d: %+v", len(ps), len(want), ps)
	}
	for _, p := range ps {
		w, ok := want[p.NativeID]
		if !ok {
			t.Errorf("unexpected post %q", p.NativeID)
			continue
		}
		if !p.Published.Equal(w.t) || p.PublishedEstimated != w.estimated {
			t.Errorf("%s: published %v (estimated %v), want %v (estimated %v)", p.NativeID, p.Published, p.PublishedEstimated, w.t, w.estimated)
		}
		if p.Published.Location() != time.UTC {
			t.Errorf("%s: published in %v, want UTC", p.NativeID, p.Published.Location())
		}
	}
}
