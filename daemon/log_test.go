package daemon

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestLoggerFormats(t *testing.T) {
	for _, tc := range []struct {
		format string
		json   bool
	}{{"", true}, {"auto", true}, {"json", true}, {"console", false}} {
		var buf bytes.Buffer // not a terminal: auto means JSON
		log := NewLogger("info", tc.format, &buf)
		log.Info().Str("source", "hn").Msg("fetched")
		log.Debug().Msg("below the level")
		line := strings.TrimSpace(buf.String())
		if strings.Count(line, "\n") != 0 {
			t.Errorf("%q: want one line (debug filtered), got %q", tc.format, line)
		}
		var v map[string]any
		isJSON := json.Unmarshal([]byte(line), &v) == nil
		if isJSON != tc.json {
			t.Fatalf("%q: JSON %v, want %v: %q", tc.format, isJSON, tc.json, line)
		}
		if isJSON {
			if v["level"] != "info" || v["message"] != "fetched" || v["source"] != "hn" || v["time"] == nil {
				t.Errorf("%q: fields %v", tc.format, v)
			}
		} else if !strings.Contains(line, "INF") || !strings.Contains(line, "fetched") || !strings.Contains(line, "source=hn") ||
			strings.Contains(line, "\x1b[") {
			t.Errorf("console line %q (no colour off a terminal)", line)
		}
	}
}

func TestIsTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if isTerminal(w) || isTerminal(&bytes.Buffer{}) {
		t.Error("a pipe or a buffer taken for a terminal")
	}
	if tty, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0); err == nil {
		defer tty.Close()
		if !isTerminal(tty) {
			t.Error("the pty master is a terminal")
		}
	}
}
