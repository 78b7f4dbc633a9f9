package webhook

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/earshot/earshot/alerts/notify"
)

// TestSignHandComputed checks the signature against one computed outside
// Go: python3 -c "import hmac,hashlib; print(hmac.new(b's3cret',
// b'1700000000.{\"a\":1}', hashlib.sha256).hexdigest())".
func TestSignHandComputed(t *testing.T) {
	const want = "sha256=1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940"
	if got := Sign([]byte("s3cret"), "1700000000", []byte(`{"a":1}`)); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
	if !Verify([]byte("s3cret"), "1700000000", want, []byte(`{"a":1}`)) || Verify([]byte("s3cret"), "1700000001", want, []byte(`{"a":1}`)) {
		t.Fatal("Verify")
	}
}

func TestClassify(t *testing.T) {
	for code, want := range map[int]string{200: "ok", 204: "ok", 408: "retry", 425: "retry", 429: "retry", 500: "retry", 503: "retry",
		400: "permanent", 401: "permanent", 404: "permanent", 410: "permanent"} {
		_, err := Classify(code, "t")
		got := "ok"
		if err != nil {
			got = "retry"
			if notify.IsPermanent(err) {
				got = "permanent"
			}
		}
		if got != want {
			t.Errorf("HTTP %d: %s, want %s", code, got, want)
		}
	}
}

func TestDeliverHeaders(t *testing.T) {
	var h http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h = r.Header.Clone() }))
	defer srv.Close()
	w := &Webhook{URL: srv.URL, Secret: []byte("k"), UA: "Earshot/test"}
	if _, err := w.Deliver(context.Background(), &notify.Message{Key: "abc.hook", Sent: time.Unix(1700000000, 0)}); err != nil {
		t.Fatal(err)
	}
	if h.Get(HeaderKey) != "abc.hook" || h.Get(HeaderTimestamp) != "1700000000" || len(h.Get(HeaderSignature)) != 71 ||
		h.Get("Content-Type") != "application/json" || h.Get("User-Agent") != "Earshot/test" {
		t.Fatalf("headers %v", h)
	}
}
