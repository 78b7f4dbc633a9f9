package store

import (
	"testing"
	"time"
)

func TestDigestRecordsSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	at0 := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

	if sent, err := s.DigestSent("2026-W47", "Kim@Acme.example"); err != nil || sent {
		t.Fatalf("DigestSent before any record = %v, %v", sent, err)
	}
	recs := []DigestRecord{
		{Period: "2026-W47", Recipient: "Kim@Acme.example", Status: DigestStatusSent, At: at0, Attempts: 2},
		{Period: "2026-W47", Recipient: "lee@acme.example", Status: DigestStatusPending, At: at0.Add(time.Minute), Attempts: 1, Error: "421 try later"},
		{Period: "2026-W46", Recipient: "lee@acme.example", Status: DigestStatusFailed, At: at0.Add(-7 * 24 * time.Hour), Error: "550 no such user"},
	}
	for _, r := range recs {
		if err := s.MarkDigest(r); err != nil {
			t.Fatal(err)
		}
	}
	first, err := s.DigestFirstRun(at0)
	if err != nil || !first.Equal(at0) {
		t.Fatalf("DigestFirstRun = %v, %v", first, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openT(t, dir)
	defer s.Close()
	if sent, err := s.DigestSent("2026-W47", "kim@acme.example"); err != nil || !sent {
		t.Errorf("sent after reopen = %v, %v; want true (case-insensitive recipient)", sent, err)
	}
	if sent, _ := s.DigestSent("2026-W47", "lee@acme.example"); sent {
		t.Error("a pending record counts as sent")
	}
	rec, ok, err := s.DigestRecord("2026-W46", "lee@acme.example")
	if err != nil || !ok || !rec.Done() || rec.Error != "550 no such user" {
		t.Errorf("failed record = %+v, %v, %v", rec, ok, err)
	}
	log, err := s.DigestLog(2)
	if err != nil || len(log) != 2 || log[0].Recipient != "lee@acme.example" || log[0].Period != "2026-W47" || log[1].Recipient != "kim@acme.example" {
		t.Errorf("log = %+v, %v", log, err)
	}
	if first, _ := s.DigestFirstRun(at0.Add(time.Hour)); !first.Equal(at0) {
		t.Errorf("first run moved to %v", first)
	}
	if err := s.MarkDigest(DigestRecord{Period: "", Recipient: "x@y.z"}); err == nil {
		t.Error("empty period accepted")
	}
	if err := s.MarkDigest(DigestRecord{Period: "p\x00q", Recipient: "x@y.z"}); err == nil {
		t.Error("NUL in period accepted")
	}
}
