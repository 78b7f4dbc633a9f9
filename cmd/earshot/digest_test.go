package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/daemon"
	"github.com/earshot/earshot/store"
)

// TestDigestCommand previews and sends (to the outbox: no SMTP) on an
// empty store, then reads the status line.
func TestDigestCommand(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "earshot.toml")
	doc := `[earshot]
data_dir = "` + filepath.Join(dir, "data") + `"
timezone = "Asia/Seoul"

[[brand]]
name = "Acme"
own = true
terms = ["아크미"]

[[brand]]
name = "Globex"

[digest]
recipients = ["김민지 <kim@acme.example>"]
subject = "{{.Brand}} 주간 리포트 {{.Week}}"
`
	if err := os.WriteFile(cfgPath, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := realMain([]string{"digest", "-config", cfgPath, "-preview", "-week", "2026-W47"}, &out, &errb); code != 0 {
		t.Fatalf("preview exit %d: %s", code, errb.String())
	}
	if m := out.String(); !strings.Contains(m, "<!DOCTYPE html>") || !strings.Contains(m, "16 Nov – Sun 22 Nov 2026") && strings.Contains(m, `id="findings"`) {
		t.Errorf("preview = %.300s", m)
	}
	out.Reset()
	if code := realMain([]string{"digest", "-config", cfgPath, "-preview", "-text", "-week", "2026-11-18"}, &out, &errb); code != 0 ||
		!strings.Contains(out.String(), "Subject: Acme 주간 리포트 2026-W47") {
		t.Errorf("text preview exit %d: %s", code, out.String())
	}
	out.Reset()
	if code := realMain([]string{"digest", "-config", cfgPath, "-send", "-week", "2026-W47"}, &out, &errb); code != 0 {
		t.Fatalf("send exit %d: %s %s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "2026-W47 kim@acme.example: outbox (") {
		t.Errorf("send output = %q", out.String())
	}
	eml := filepath.Join(dir, "data", "outbox", "2026-W47-kim@acme.example.eml")
	if _, err := os.Stat(eml); err != nil {
		t.Error(err)
	}
	if code := realMain([]string{"digest", "-config", cfgPath}, &out, &errb); code != 2 {
		t.Errorf("neither -preview nor -send: exit %d, want 2", code)
	}
	if code := realMain([]string{"digest", "-config", cfgPath, "-preview", "-week", "2026-W99"}, &out, &errb); code != 1 {
		t.Errorf("bad week: exit %d, want 1", code)
	}

	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(cfg.Earshot.DataDir, store.Options{Logger: zerolog.Nop(), NoIndexer: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	line := daemon.DigestStatusLine(cfg, st)
	if !strings.Contains(line, "digest: next Mon") || !strings.Contains(line, "09:00 KST") || !strings.Contains(line, "last 2026-W47 to kim@acme.example: outbox") {
		t.Errorf("status line = %q", line)
	}
	if line := daemon.DigestStatusLine(cfg, nil); strings.Contains(line, "last") || !strings.Contains(line, "next") {
		t.Errorf("status line without the store = %q", line)
	}
}
