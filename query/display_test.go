package query

import (
	"strings"
	"testing"
)

func TestDisplayNeutralisesInvisibleCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"\u202Enimda":                             "nimda",
		"a\u202Ab\u202Bc\u202Cd\u202D":            "abcd",
		"\u2066x\u2067y\u2068z\u2069":             "xyz",
		"zero\u200Bwidth\u200C\u200D\u200E\u200F": "zerowidth",
		"arabic\u061Cmark":                        "arabicmark",
		"bom\uFEFF\u2060":                         "bom",
		"bell\x07esc\x1b[31m":                     "bell esc [31m",
		"c1\u0085\u009b":                          "c1  ",
		"keep\nlines\tand tabs":                   "keep\nlines\tand tabs",
		"bad\xffutf8":                             "bad\uFFFDutf8",
		"한국어 ü 😀":                                 "한국어 ü 😀",
	} {
		if got := Display(in); got != want {
			t.Errorf("Display(%q) = %q, want %q", in, got, want)
		}
	}
	plain := strings.Repeat("plain text ", 10)
	if got := Display(plain); got != plain {
		t.Errorf("plain text changed: %q", got)
	}
}
