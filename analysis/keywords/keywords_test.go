package keywords

import (
	"strings"
	"sync"
	"testing"

	"github.com/jdkato/prose/v2"
)

func TestExtract(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	got := e.Extract("Tim Cook said the new battery lasts two days in London, and the camera is great.")
	has := func(text, kind string) bool {
		for _, k := range got {
			if strings.EqualFold(k.Text, text) && strings.HasPrefix(k.Kind, kind) {
				return true
			}
		}
		return false
	}
	for _, w := range []struct{ text, kind string }{{"battery", "noun"}, {"camera", "noun"}, {"London", "entity:"}} {
		if !has(w.text, w.kind) {
			t.Errorf("missing %s (%s) in %+v", w.text, w.kind, got)
		}
	}
	for _, stop := range []string{"the", "days", "and"} {
		if has(stop, "") {
			t.Errorf("stopword %q extracted: %+v", stop, got)
		}
	}
	ko := e.Extract("삼성에서는 새 배터리를 발표했다 ㅋㅋ 그리고 화면도")
	want := map[string]bool{"삼성": true, "배터리": true, "화면": true}
	for _, k := range ko {
		if k.Text == "그리고" || k.Text == "ㅋㅋ" {
			t.Errorf("stopword or marker %q extracted", k.Text)
		}
		delete(want, k.Text)
	}
	if len(want) > 0 {
		t.Errorf("missing Korean keywords %v in %+v", want, ko)
	}
	if k := e.Extract("\xff\x00 " + strings.Repeat("x", 100000)); k == nil {
		t.Log("no keywords in hostile input (fine)")
	}
}

func TestConcurrentExtract(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	want := e.Extract("Apple opened a store in Paris")
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if got := e.Extract("Apple opened a store in Paris"); len(got) != len(want) {
					t.Errorf("concurrent Extract differs: %+v vs %+v", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

const benchText = "Tim Cook said the new battery lasts two days in London, and the camera is great."

func BenchmarkExtractLoadOnce(b *testing.B) {
	e, err := New()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		e.Extract(benchText)
	}
}

// BenchmarkPerDocumentModel is prose's default: model load and Punkt
// segmentation on every document. Compare its ns/op with LoadOnce.
func BenchmarkPerDocumentModel(b *testing.B) {
	for b.Loop() {
		if _, err := prose.NewDocument(benchText); err != nil {
			b.Fatal(err)
		}
	}
}
