package report

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/query"
	"github.com/earshot/earshot/store"
)

// excerptRunes bounds a top mention's excerpt.
const excerptRunes = 240

var topFormula = []string{
	"per brand, the 3 positive and the 3 negative mentions of the window with the most interactions (ties: newer first, then ID)",
}

var topicFormula = []string{
	"topic mentions = stored mentions matching the [[topic]] query published in the window (each mention once per topic), change against the previous period (\"new\" and \"too few to call\" as in share of voice)",
}

func topMentions(src Source, f *factFigures, brands []string, loc *time.Location) (TopSection, error) {
	sec := TopSection{Formula: topFormula}
	for _, b := range brands {
		bt := BrandTops{Brand: b, Positive: []TopMention{}, Negative: []TopMention{}}
		for _, list := range []struct {
			in  []*store.Fact
			out *[]TopMention
		}{{f.candPos[b], &bt.Positive}, {f.candNeg[b], &bt.Negative}} {
			for _, x := range list.in {
				m, ok, err := src.Get(x.ID)
				if err != nil {
					return sec, fmt.Errorf("top mention %q: %w", x.ID, err)
				}
				if !ok {
					continue
				}
				tm := topMention(m, x, loc)
				score, _ := x.SentimentFor(b) // the brand's own sentiment
				tm.Sentiment = round(score, 3)
				*list.out = append(*list.out, tm)
			}
		}
		sec.Brands = append(sec.Brands, bt)
	}
	return sec, nil
}

// topMention is m as the report shows it, with its fact's figures.
func topMention(m store.Mention, x *store.Fact, loc *time.Location) TopMention {
	return TopMention{
		ID: m.ID, Network: m.Network, URL: m.URL, Title: excerpt(m.Title, excerptRunes), Excerpt: excerpt(m.Text, excerptRunes),
		Author: query.Display(m.Author), Published: m.Published.In(loc).Format(time.RFC3339), Estimated: m.PublishedEstimated, Engagement: x.Engagement,
		Sentiment: round(x.Sentiment, 3),
	}
}

// excerpt collapses whitespace and cuts s to n runes with an ellipsis.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(query.Display(s)), " ") // no bidi overrides or invisible characters
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func topics(f *factFigures, cfg *config.Config, prevPartial bool) TopicSection {
	sec := TopicSection{Formula: topicFormula}
	for _, t := range cfg.Topics {
		row := TopicRow{Topic: t.Name, Prev: f.topicPrev[t.Name], ByNetwork: topCounts(f.topics[t.Name], 0)}
		for _, lc := range row.ByNetwork {
			row.Mentions += lc.Count
		}
		row.Change, row.Note = callChange(row.Mentions, row.Prev, prevPartial)
		sec.Topics = append(sec.Topics, row)
	}
	return sec
}
