package demo

import (
	"html"
	"regexp"
	"strings"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
)

// englishRun is three ASCII words in a row (words start with a letter, so
// figures such as "24h" and "12,000" are not words): an English sentence.
// A colon ends a run: "Initech: customer support" is a label and a quote.
var englishRun = regexp.MustCompile(`[A-Za-z][A-Za-z'’-]*(?:[ ,.;&/]+[A-Za-z][A-Za-z'’-]*){2,}`)

var (
	urlOrMail = regexp.MustCompile(`https?://[^\s"<>]+|[^\s"<>]+@[^\s"<>]+`)
	tag       = regexp.MustCompile(`(?s)<head.*?</head>|<[^>]*>`)
	altText   = regexp.MustCompile(`alt="([^"]*)"`)
)

// quoted is what a Korean body may carry in English because it quotes it:
// posts' titles and texts (and the spikes' driving posts), authors, the
// configured names of goals, sources and brands, the emerging words.
func quoted(r *report.Report, cfg *config.Config) []string {
	var out []string
	post := func(tm report.TopMention) { out = append(out, tm.Title, tm.Excerpt, tm.Author) }
	for _, b := range r.Top.Brands {
		for _, tm := range append(b.Positive, b.Negative...) {
			post(tm)
		}
	}
	for _, s := range r.Spikes.Spikes {
		if s.Why != nil {
			for _, tm := range s.Why.Top {
				post(tm)
			}
		}
	}
	for _, d := range r.Drivers { // the posts findings name as their evidence
		for _, tm := range d.Posts {
			post(tm)
		}
	}
	for _, g := range r.Goals.Goals {
		out = append(out, g.Name)
	}
	for _, b := range r.Emerging.Brands {
		for _, e := range append(b.Terms, b.Phrases...) {
			out = append(out, e.Term)
		}
	}
	for _, s := range cfg.Sources {
		out = append(out, s.Name)
	}
	for _, b := range cfg.Brands {
		out = append(out, append(b.AllTerms(), b.Name)...)
	}
	return out
}

// englishIn lists the English runs of a Korean body (text, or HTML with
// its tags dropped and alt texts kept) that are not a quote: no URL or
// address, and not part of any of quotes.
func englishIn(body string, quotes []string) []string {
	if strings.Contains(body, "<html") {
		var alts []string
		for _, m := range altText.FindAllStringSubmatch(body, -1) {
			alts = append(alts, m[1])
		}
		body = html.UnescapeString(tag.ReplaceAllString(body, "\n") + "\n" + strings.Join(alts, "\n"))
	}
	body = urlOrMail.ReplaceAllString(body, " ")
	var bad []string
	for _, run := range englishRun.FindAllString(body, -1) {
		run = strings.TrimRight(run, " ,.;&/")
		ok := false
		for _, q := range quotes {
			if q != "" && strings.Contains(q, run) {
				ok = true
				break
			}
		}
		if !ok {
			bad = append(bad, run)
		}
	}
	return bad
}
