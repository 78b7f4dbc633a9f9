package config

import "testing"

func TestIndexPositions(t *testing.T) {
	doc := `top = 1
[earshot]
listen = "x"

[[brand]]
name = "A"
[brand.handles]
x = ["a", "b"]

[[brand]]
  name = "B"
  terms = [
    "b1",
    "b2",
  ]
[brand.handles]
web = ["w"]

[[source]]
network = "rss"
[[source.extra]]
k = 1
[[source.extra]]
k = 2
[[source]]
inline = { a.b = 1, "quoted key" = 2 }
list = [{ n = 1 }, { n = 2 }]
`
	ix, err := buildIndex([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]position{
		"top":                           {1, 1},
		"earshot":                       {2, 2},
		"earshot.listen":                {3, 1},
		"brand[0]":                      {5, 3},
		"brand[0].name":                 {6, 1},
		"brand[0].handles":              {7, 8},
		"brand[0].handles.x":            {8, 1},
		"brand[0].handles.x[1]":         {8, 11},
		"brand[1]":                      {10, 3},
		"brand[1].name":                 {11, 3},
		"brand[1].terms[0]":             {13, 5},
		"brand[1].terms[1]":             {14, 5},
		"brand[1].handles.web":          {17, 1},
		"source[0].network":             {20, 1},
		"source[0].extra[0].k":          {22, 1},
		"source[0].extra[1]":            {23, 10},
		"source[0].extra[1].k":          {24, 1},
		"source[1].inline.a.b":          {26, 14},
		`source[1].inline."quoted key"`: {26, 21},
		"source[1].list[1]":             {27, 20},
		"source[1].list[1].n":           {27, 22},
	}
	for path, want := range tests {
		got, ok := ix.pos[path]
		if !ok {
			t.Errorf("%s: not indexed", path)
			continue
		}
		if got != want {
			t.Errorf("%s at %d:%d, want %d:%d", path, got.line, got.col, want.line, want.col)
		}
	}
	if ix.has("brand[2]") || ix.has("source[2]") {
		t.Error("indexed an element that does not exist")
	}
	// Unknown paths fall back to their nearest written parent.
	if got := ix.lookup("brand[1].handles.web[7]"); got != (position{17, 1}) {
		t.Errorf("lookup fallback = %+v", got)
	}
	if got := ix.lookup("nowhere.at.all"); got != (position{}) {
		t.Errorf("lookup of unknown = %+v", got)
	}
}

func TestIndexInString(t *testing.T) {
	doc := "a = \"x(y\"\nb = 'lit(eral'\nc = \"esc\\t(\"\nd = \"\"\"\nmulti(\"\"\"\n"
	ix, err := buildIndex([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		off  int
		want position
	}{
		{"a", 1, position{1, 7}},  // the '(' inside "x(y"
		{"b", 3, position{2, 9}},  // literal strings have no escapes
		{"c", 4, position{3, 1}},  // escapes: fall back to the key
		{"d", 5, position{4, 1}},  // multi-line: fall back to the key
		{"a", -1, position{1, 1}}, // nonsense offset: the key
	}
	for _, tt := range tests {
		if got := ix.inString(tt.path, tt.off); got != tt.want {
			t.Errorf("inString(%s, %d) = %+v, want %+v", tt.path, tt.off, got, tt.want)
		}
	}
}

func TestParentKey(t *testing.T) {
	tests := map[string]string{
		"a.b[2]":            "a.b",
		"a.b":               "a",
		"a":                 "",
		`a."x.y"`:           "a",
		`"x.y"`:             "",
		"brand[0].terms[1]": "brand[0].terms",
	}
	for in, want := range tests {
		if got := parentKey(in); got != want {
			t.Errorf("parentKey(%q) = %q, want %q", in, got, want)
		}
	}
}
