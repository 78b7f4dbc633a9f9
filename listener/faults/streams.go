package faults

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"sync"
)

// chunk is the write size of streamed bodies.
const chunk = 32 << 10

var (
	bombMu    sync.Mutex
	bombCache = map[int64][]byte{}
)

// bombMember is the inflated size of one gzip member of a bomb.
const bombMember = 1 << 20

// bomb returns a gzip stream that inflates to size zero bytes, built once
// per size (100 MB compresses to about 100 KB). It is a run of gzip members
// of bombMember zeros each (gzip readers, the standard transport's
// included, read concatenated members as one stream), so only one member
// is ever compressed: compressing 100 MB at once took 18 s under the race
// detector, inside the first request's fetch timeout.
func bomb(size int64) []byte {
	bombMu.Lock()
	defer bombMu.Unlock()
	if b, ok := bombCache[size]; ok {
		return b
	}
	member := func(n int64) []byte {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(make([]byte, n))
		_ = zw.Close()
		return buf.Bytes()
	}
	var b []byte
	if n := size / bombMember; n > 0 {
		b = bytes.Repeat(member(bombMember), int(n))
	}
	if rest := size % bombMember; rest > 0 {
		b = append(b, member(rest)...)
	}
	bombCache[size] = b
	return b
}

func serveBomb(w http.ResponseWriter, ctype string, size int64) {
	b := bomb(size)
	if ctype == "" {
		ctype = "application/json"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(http.StatusOK)
	for len(b) > 0 {
		n, err := w.Write(b[:min(len(b), chunk)])
		if err != nil {
			return
		}
		b = b[n:]
	}
}

// serveHuge streams head then filler up to size bytes, stopping when the
// client hangs up. Nothing larger than one chunk is held.
func serveHuge(w http.ResponseWriter, r *http.Request, ctype string, head []byte, size int64) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Del("Content-Length")
	w.WriteHeader(http.StatusOK)
	if int64(len(head)) > size {
		head = head[:size]
	}
	head = head[:len(head)/2] // the envelope opens; the filler never closes it
	if _, err := w.Write(head); err != nil {
		return
	}
	filler := bytes.Repeat([]byte("Acme battery outage 아크미 "), chunk/32)
	for left := size - int64(len(head)); left > 0; {
		if r.Context().Err() != nil {
			return
		}
		n, err := w.Write(filler[:min(left, int64(len(filler)))])
		if err != nil {
			return
		}
		left -= int64(n)
	}
}
