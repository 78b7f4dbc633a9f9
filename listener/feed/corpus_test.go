package feed

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earshot/earshot/listener/htmltext"
	"github.com/mmcdole/gofeed"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// Every feed of gofeed's own test corpus (testdata/gofeed) parses in
// Earshot as in gofeed: the same items in the same order with the same
// titles, links and dates, after Earshot's documented normalisation (HTML
// to text, relative links resolved, Google redirects unwrapped). Earshot
// leaves out only items with nothing to key them by and repeats of a key.
// Each XML feed is parsed again re-encoded as UTF-16 and UTF-32 with its
// declaration saying so: a legacy encoding loses no item.
func TestGofeedCorpus(t *testing.T) {
	var files, items, parsed, reencoded int
	err := filepath.WalkDir("testdata/gofeed", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".xml") || strings.HasSuffix(path, ".json")) {
			return err
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		want, gerr := gofeed.NewParser().Parse(bytes.NewReader(body))
		got, err := parse(body, "https://feed.example.com/feed", now)
		if gerr != nil || (want.FeedType == "json" && want.FeedVersion == "") {
			return nil // gofeed rejects it (or takes JSON for a feed): nothing to compare
		}
		if err != nil {
			t.Errorf("%s: gofeed parses it, Earshot does not: %v", path, err)
			return nil
		}
		parsed++
		items += len(got)
		compareItems(t, path, want, got)
		if strings.HasSuffix(path, ".xml") && len(got) > 0 {
			for _, v := range []struct {
				label string
				bom   []byte
				enc   func([]byte) ([]byte, error)
			}{
				{"UTF-16", []byte{0xFF, 0xFE}, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes},
				{"UTF-32", []byte{0, 0, 0xFE, 0xFF}, utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM).NewEncoder().Bytes},
			} {
				b, err := v.enc(redeclare(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF")), v.label))
				if err != nil {
					continue // not valid UTF-8 to begin with
				}
				again, err := parse(append(v.bom, b...), "https://feed.example.com/feed", now)
				reencoded++
				if err != nil || len(again) != len(got) {
					t.Errorf("%s in %s: %d of %d items (%v)", path, v.label, len(again), len(got), err)
					continue
				}
				for i := range got {
					if again[i].Title != got[i].Title || again[i].NativeID != got[i].NativeID {
						t.Errorf("%s in %s: item %d %q, want %q", path, v.label, i, again[i].Title, got[i].Title)
						break
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 500 || parsed < 400 || items < 100 || reencoded < 100 {
		t.Fatalf("corpus: %d files, %d parsed by gofeed", files, parsed)
	}
	t.Logf("%d files, %d feeds gofeed parses, %d items compared, %d re-encoded parses", files, parsed, items, reencoded)
}

// redeclare gives body an XML declaration naming label.
func redeclare(body []byte, label string) []byte {
	if loc := xmlDecl.FindSubmatchIndex(body); loc != nil {
		return append(append(append([]byte(nil), body[:loc[2]]...), label...), body[loc[3]:]...)
	}
	if bytes.HasPrefix(bytes.TrimSpace(body), []byte("<?xml")) {
		return body
	}
	return append([]byte(`<?xml version="1.0" encoding="`+label+`"?>`+"\n"), body...)
}

func compareItems(t *testing.T, path string, want *gofeed.Feed, got []item) {
	t.Helper()
	base := resolve("https://feed.example.com/feed", strings.TrimSpace(want.Link))
	if base == "" {
		base = "https://feed.example.com/feed"
	}
	keys := map[string]bool{}
	j := 0
	for _, w := range want.Items {
		if w == nil {
			continue
		}
		title := fixC1(htmltext.ToText(w.Title))
		link := unwrap(strings.TrimSpace(w.Link))
		if link == "" && len(w.Links) > 0 {
			link = unwrap(strings.TrimSpace(w.Links[0]))
		}
		if link == "" && isHTTP(strings.TrimSpace(w.GUID)) {
			link = strings.TrimSpace(w.GUID)
		}
		link = resolve(base, link)
		if j < len(got) && got[j].Title == title && got[j].URL == link && sameDate(w, got[j]) {
			keys[got[j].NativeID] = true
			j++
			continue
		}
		// Earshot may leave it out only as keyless or as a repeat.
		guid := strings.TrimSpace(w.GUID)
		if guid == "" && link == "" && title == "" && htmltext.ToText(w.Description)+htmltext.ToText(w.Content) == "" {
			continue
		}
		if key, _ := itemKey(guid, link, strings.TrimSpace(want.Link), "https://feed.example.com/feed", title, ""); keys[key] || repeated(want, w) {
			continue
		}
		g := "(none)"
		if j < len(got) {
			g = got[j].Title + " " + got[j].URL + " " + got[j].Published.String()
		}
		t.Errorf("%s: item %q %q %v: Earshot has %s", path, title, link, w.PublishedParsed, g)
		return
	}
	if j != len(got) {
		t.Errorf("%s: %d extra items in Earshot", path, len(got)-j)
	}
}

// repeated reports whether an earlier item of f has w's guid or link.
func repeated(f *gofeed.Feed, w *gofeed.Item) bool {
	for _, o := range f.Items {
		if o == w {
			return false
		}
		if o != nil && ((w.GUID != "" && o.GUID == w.GUID) || (w.GUID == "" && o.GUID == "" && w.Link != "" && o.Link == w.Link)) {
			return true
		}
	}
	return false
}

// sameDate: gofeed's published (else updated) date, or none, as Earshot
// has it (none = the fetch time, estimated).
func sameDate(w *gofeed.Item, p item) bool {
	switch {
	case plausible(w.PublishedParsed):
		return p.Published.Equal(*w.PublishedParsed) && !p.PublishedEstimated
	case plausible(w.UpdatedParsed):
		return p.Published.Equal(*w.UpdatedParsed) && !p.PublishedEstimated
	}
	return p.PublishedEstimated && p.Published.Equal(now)
}
