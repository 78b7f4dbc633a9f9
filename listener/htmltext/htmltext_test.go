package htmltext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestToText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"plain", "  hello   world \n", "hello world"},
		{"entities", "It&#x27;s 50&#x2F;50 &amp; &quot;fine&quot; &lt;ok&gt;", `It's 50/50 & "fine" <ok>`},
		{"hn paragraphs", "First para.<p>Second para &#x27;quoted&#x27;.<p>Third.", "First para.\n\nSecond para 'quoted'.\n\nThird."},
		{"br", "line one<br>line two<br/>line three", "line one\nline two\nline three"},
		{"link keeps text", `see <a href="https:&#x2F;&#x2F;acme.com&#x2F;x" rel="nofollow">acme.com&#x2F;x</a> now`, "see acme.com/x now"},
		{"pre code verbatim", "Try:<p><pre><code>  if x {\n    y()\n  }\n</code></pre>Done.", "Try:\n\n  if x {\n    y()\n  }\n\nDone."},
		{"script style dropped", "a<script>alert('x')</script>b<style>p{}</style>c", "abc"},
		{"nested script tag text", "a<script><script>x</script>y</script>b", "ayb"}, // script is raw text: the first </script> ends it,
		{"list", "<ul><li>one</li><li>two</li></ul>after", "one\n\ntwo\n\nafter"},
		{"headings", "<h1>Title</h1>body", "Title\n\nbody"},
		{"mastodon invisible", `<p>read <a href="https://example.com/long/path"><span class="invisible">https://</span><span class="ellipsis">example.com/lo</span><span class="invisible">ng/path</span></a></p>`, "read example.com/lo"},
		{"b highlight", "<b>Acme</b> battery recall", "Acme battery recall"},
		{"korean", "<p>아크미는 &amp; 글로벡스의</p>", "아크미는 & 글로벡스의"},
		{"invalid utf8", "ok \xff\xfe bad", "ok \uFFFD bad"},
		{"nul", "a\x00b", "a b"},
		{"unclosed tag", "hello <a href=", "hello"},
		{"blank lines collapse", "<p></p><p></p><p>x</p><div></div><div>y</div>", "x\n\ny"},
		{"nbsp", "a&nbsp;&nbsp;b", "a b"},
		{"comment", "a<!-- hidden -->b", "ab"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ToText(c.in); got != c.want {
				t.Errorf("ToText(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

func TestToTextBounded(t *testing.T) {
	huge := strings.Repeat("<p>word &amp; ", MaxInput/10)
	got := ToText(huge)
	if len(got) > MaxInput {
		t.Fatalf("output %d bytes exceeds input cap %d", len(got), MaxInput)
	}
	if !strings.HasPrefix(got, "word &\n\nword &") {
		t.Fatalf("unexpected start %q", got[:40])
	}
	deep := strings.Repeat("<div><span>", 50000) + "x"
	if got := ToText(deep); got != "x" {
		t.Fatalf("deep nesting: got %q", got)
	}
}

func FuzzToText(f *testing.F) {
	for _, s := range []string{
		"", "a<p>b", "<pre><code>x\n y</code></pre>", "&#x27;&#0;&#xD800;", "<script>", "<span class=invisible>",
		"\xff<b>\xc3", "<a href=x>y</a>", "<</>>", "<br/><br/><br/>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := ToText(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid utf-8 output for %q", s)
		}
		if strings.Contains(out, "\n\n\n") {
			t.Fatalf("more than one blank line in %q", out)
		}
		if out != strings.TrimSpace(out) {
			t.Fatalf("untrimmed output %q", out)
		}
		if !strings.ContainsAny(s, "<&") && strings.Contains(out, "  ") {
			t.Fatalf("uncollapsed spaces in %q", out)
		}
	})
}

// An unclosed <object> hides nothing: its fallback content is text.
func TestUnclosedObject(t *testing.T) {
	got := ToText(`<p>Intro</p><object data="x.swf"><param name="m" value="x"><p>Fallback text</p><p>The rest of the post</p>`)
	if got != "Intro\n\nFallback text\n\nThe rest of the post" {
		t.Fatalf("%q", got)
	}
}

// Links resolves relative targets against the base and drops what is not
// http(s).
func TestLinks(t *testing.T) {
	got := Links(`<a href="/a">a</a> <a href="b?x=1">b</a> <a href="/a">again</a> <a href="javascript:alert(1)">x</a> <a href="mailto:x@y">m</a> <a href="https://other.example/c">c</a>`, "https://blog.example.com/posts/1")
	want := []string{"https://blog.example.com/a", "https://blog.example.com/posts/b?x=1", "https://other.example/c"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("%q", got)
	}
	if Links("plain text", "https://x.example/") != nil {
		t.Fatal("links in plain text")
	}
}
