package report

import "testing"

// Top mentions (the report page, /api/report and the digest) carry no bidi
// overrides or invisible characters.
func TestExcerptNeutralisesInvisibleCharacters(t *testing.T) {
	if got := excerpt("Acme \u202Egnp.exe\u202C\x07 zero\u200Bwidth", 100); got != "Acme gnp.exe zerowidth" {
		t.Errorf("excerpt = %q", got)
	}
}
