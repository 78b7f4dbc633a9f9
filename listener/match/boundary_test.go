package match

import (
	"slices"
	"testing"
)

// A term matches at a word start only, whatever the offset: at the very
// start of the text, one byte in, or after the title.
func TestMatchWordStartAtEveryOffset(t *testing.T) {
	m, err := New(testBrands(), nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		title, text string
		want        []string
	}{
		{"", "acme corp", []string{"Acme"}},
		{"", "xacme corp", nil},  // one byte in, inside a word
		{"", "xyacme corp", nil}, // two bytes in
		{"", "x acme corp", []string{"Acme"}},
		{"", "xsamsung", nil},
		{"", "1samsung", nil},
		{"x", "samsung", []string{"삼성"}}, // the text starts a word after the title
		{"samsung", "", []string{"삼성"}},
		{"", "samsungx", nil}, // and ends one
	}
	for _, tt := range tests {
		if got := m.Match(Input{Network: "hackernews", Title: tt.title, Text: tt.text}).Brands; !slices.Equal(got, tt.want) {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.title, tt.text, got, tt.want)
		}
	}
}
