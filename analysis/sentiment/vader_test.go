package sentiment

import (
	"strings"
	"testing"
)

func TestTrimPunctIsStringsTrim(t *testing.T) {
	for _, s := range []string{"", "!!!", "good!", "(great)", "'}{'", "can't", "--x--", "ok…", "é!", "[]{}~`", ":-)", "a"} {
		if got, want := trimPunct(s), strings.Trim(s, asciiPunct); got != want {
			t.Errorf("trimPunct(%q) = %q, want %q", s, got, want)
		}
	}
	for c := 0; c < 128; c++ {
		if got, want := isASCIIPunct(byte(c)), strings.IndexByte(asciiPunct, byte(c)) >= 0; got != want {
			t.Errorf("isASCIIPunct(%q) = %v, want %v", rune(c), got, want)
		}
	}
}
