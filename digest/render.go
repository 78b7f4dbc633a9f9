package digest

import (
	"bytes"
	"embed"
	"encoding/base64"
	"fmt"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"
	"unicode"

	"github.com/earshot/earshot/config"
)

//go:embed templates/digest.html templates/digest.txt
var templateFS embed.FS

// funcs are the templates' helpers: t looks a phrase up in the view's
// language (phrases.go), tf formats one.
var funcs = map[string]any{
	"t":    func(v *View, key string) string { return t(v.L, key) },
	"tf":   func(v *View, key string, a ...any) string { return v.L.Sprintf(t(v.L, key), a...) },
	"add1": func(i int) int { return i + 1 },
}

var (
	htmlTmpl = htmltemplate.Must(htmltemplate.New("digest.html").Funcs(funcs).ParseFS(templateFS, "templates/digest.html"))
	textTmpl = texttemplate.Must(texttemplate.New("digest.txt").Funcs(funcs).ParseFS(templateFS, "templates/digest.txt"))
)

// Rendered is one recipient's digest.
type Rendered struct {
	Subject string
	Text    string  // text/plain part
	HTML    string  // text/html part; images as cid: references
	Images  []Image // the inline images the HTML refers to
	// Preheader is the hidden first line inbox lists show; Lang the
	// body's language.
	Preheader, Lang string
}

// PreviewHTML is the HTML with its cid: images inlined as data: URIs, for
// a browser (a preview file, the screenshot tests); mail uses HTML.
func (r *Rendered) PreviewHTML() string {
	s := r.HTML
	for _, im := range r.Images {
		s = strings.ReplaceAll(s, `src="cid:`+im.CID+`"`, `src="data:image/png;base64,`+base64.StdEncoding.EncodeToString(im.PNG)+`"`)
	}
	return s
}

// Render renders v with the subject template subject (config.Digest.Subject).
func Render(v *View, subject string) (*Rendered, error) {
	var text, html bytes.Buffer
	if err := textTmpl.Execute(&text, v); err != nil {
		return nil, fmt.Errorf("digest: render text: %w", err)
	}
	if err := htmlTmpl.Execute(&html, v); err != nil {
		return nil, fmt.Errorf("digest: render html: %w", err)
	}
	if subject == config.DefaultDigestSubject {
		// The default subject, not one the team wrote: in the recipient's
		// language like the body.
		subject = t(v.L, "subject")
	}
	subj, err := RenderSubject(subject, v)
	if err != nil {
		return nil, err
	}
	return &Rendered{Subject: subj, Text: tidyText(text.String()), HTML: html.String(), Images: v.Images,
		Preheader: v.Preheader, Lang: v.Lang}, nil
}

// SubjectFields are the values a subject template sees; the keys are
// config.DigestSubjectKeys.
func SubjectFields(v *View) map[string]any {
	return map[string]any{
		"Week": v.Week, "From": v.From, "To": v.To, "Brand": v.Own,
		"Name": v.Recipient.Name, "Email": v.Recipient.Email, "Headline": v.Headline,
		"Mentions": strconv.FormatInt(v.Mentions, 10), "Sentiment": v.Sentiment,
	}
}

// RenderSubject executes the subject template over v. The result is one
// line: control characters (a newline would inject headers) become spaces.
func RenderSubject(subject string, v *View) (string, error) {
	tm, err := texttemplate.New("subject").Option("missingkey=error").Parse(subject)
	if err != nil {
		return "", fmt.Errorf("digest: subject template: %w", err)
	}
	var b strings.Builder
	if err := tm.Execute(&b, SubjectFields(v)); err != nil {
		return "", fmt.Errorf("digest: subject template: %w", err)
	}
	s := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, b.String())
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		s = v.Own + " " + t(v.L, "weekly digest") + " " + v.Week
	}
	if v.Partial {
		s = t(v.L, "partial tag") + " " + s
	}
	return truncate(s, 200), nil
}

// tidyText trims trailing spaces and collapses runs of blank lines, so the
// plain-text part reads well whatever sections are empty.
func tidyText(s string) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n")) + "\n"
}
