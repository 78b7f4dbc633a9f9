package feed

import "testing"

func TestWithoutFooter(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"We ran three batteries.\n\nThe post Benchmarking home batteries: Acme compared appeared first on Example Dev Blog.", "We ran three batteries."},
		{"Body.\nThe post Title first appeared on Blog.", "Body."},
		// Only a trailing footer goes: the words inside the text stay.
		{"The post office appeared first on the list of complaints about Acme.\nThen support answered.", "The post office appeared first on the list of complaints about Acme.\nThen support answered."},
		{"Nothing to strip.", "Nothing to strip."},
	} {
		if got := withoutFooter(c.in); got != c.want {
			t.Errorf("withoutFooter(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
