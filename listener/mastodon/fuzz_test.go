package mastodon

import (
	"encoding/json"
	"strings"
	"testing"
)

func FuzzMastodonDecode(f *testing.F) {
	for _, n := range []string{"malformed.json", "error_not_found.json"} {
		f.Add(readFixture(f, n))
	}
	// Single statuses of the pool keep the seeds small (a 64 KB seed makes
	// the fuzzer spend its time minimising).
	var pool []json.RawMessage
	if err := json.Unmarshal(readFixture(f, "statuses.json"), &pool); err != nil {
		f.Fatal(err)
	}
	for _, i := range []int{1, 6, 11, 27} { // plain, boost, content warning + null language, reply
		f.Add(append(append([]byte("["), pool[i]...), ']'))
	}
	f.Add([]byte(`[{"id":"1","created_at":"2026-11-20T00:00:00Z","account":{"acct":"a"},"content":"<a href=\"javascript:x\" class=\"\">x</a><a href=\"https://e.example/\">","reblog":{"id":"x"},"card":{"url":"//nohost"},"in_reply_to_id":"-1"}]`))
	f.Add([]byte(`{"statuses":[{"id":"99999999999999999999999999","account":null,"reblog":null}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		check := func(entries []status) {
			for i := range entries {
				o := entries[i].original()
				p, ok := o.toPost()
				if !ok {
					continue
				}
				if p.NativeID == "" || p.Author == "" || p.Network != Network || p.Published.IsZero() {
					t.Fatalf("bad post %+v", p)
				}
				for _, l := range p.Links {
					if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
						t.Fatalf("non-http link %q", l)
					}
				}
				if p.ReplyTo != "" && !validID(p.ReplyTo) {
					t.Fatalf("bad reply id %q", p.ReplyTo)
				}
			}
		}
		if entries, err := decodeStatuses(b); err == nil {
			check(entries)
		}
		if entries, err := decodeSearch(b); err == nil {
			check(entries)
		}
		_, _ = decodeAccount(b)
		_ = linkMinID(string(b))
	})
}
