package faults_test

import (
	"regexp"

	"github.com/earshot/earshot/listener/faults"
)

// anyOf applies every Lists in turn; each leaves bodies it does not
// recognise unchanged, so one value covers a network's several answers.
type anyOf []faults.Lists

func (a anyOf) each(f func(faults.Lists) faults.Mutator) faults.Mutator {
	ms := make([]faults.Mutator, len(a))
	for i, l := range a {
		ms[i] = f(l)
	}
	return faults.Chain(ms...)
}

func (a anyOf) Duplicate() faults.Mutator {
	return a.each(func(l faults.Lists) faults.Mutator { return l.Duplicate() })
}
func (a anyOf) Reverse() faults.Mutator {
	return a.each(func(l faults.Lists) faults.Mutator { return l.Reverse() })
}
func (a anyOf) Keep(n int) faults.Mutator {
	return a.each(func(l faults.Lists) faults.Mutator { return l.Keep(n) })
}
func (a anyOf) Many(n int) faults.Mutator {
	return a.each(func(l faults.Lists) faults.Mutator { return l.Many(n) })
}
func (a anyOf) Select(pick func(int) []int) faults.Mutator {
	return a.each(func(l faults.Lists) faults.Mutator { return l.Select(pick) })
}

func ids(paths ...string) [][]string {
	out := make([][]string, len(paths))
	for i, p := range paths {
		out[i] = splitDots(p)
	}
	return out
}

func splitDots(p string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '.' {
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	return out
}

// lists says where each network's answers keep their items and ids.
var lists = map[string]faults.Lists{
	"hackernews": faults.Items{Path: []string{"hits"}, IDs: ids("objectID")},
	"rss": anyOf{
		faults.Blocks{Open: "<item>", Close: "</item>", IDs: []*regexp.Regexp{
			regexp.MustCompile(`<guid[^>]*>([^<]+)</guid>`), regexp.MustCompile(`<link>([^<]+)</link>`)}},
		faults.Blocks{Open: "<entry>", Close: "</entry>", IDs: []*regexp.Regexp{
			regexp.MustCompile(`<id>([^<]+)</id>`), regexp.MustCompile(`<link[^>]*href="([^"]+)"`)}},
		faults.Items{Path: []string{"items"}, IDs: ids("id", "url")},
	},
	"reddit": faults.Items{Path: []string{"data", "children"}, IDs: ids("data.id", "data.name", "data.permalink")},
	"mastodon": anyOf{
		faults.Items{IDs: ids("id", "uri", "url")},
		faults.Items{Path: []string{"statuses"}, IDs: ids("id", "uri", "url")},
	},
	"bluesky": anyOf{
		faults.Items{Path: []string{"posts"}, IDs: ids("uri", "cid")},
		faults.Items{Path: []string{"feed"}, IDs: ids("post.uri", "post.cid")},
	},
	"naver":   faults.Items{Path: []string{"items"}, IDs: ids("link", "originallink")},
	"daum":    faults.Items{Path: []string{"documents"}, IDs: ids("url")},
	"youtube": faults.Items{Path: []string{"items"}, IDs: ids("id", "id.videoId", "snippet.resourceId.videoId", "contentDetails.videoId", "snippet.topLevelComment.id")},
	"x":       faults.Items{Path: []string{"data"}, IDs: ids("id")},
	"web": faults.Blocks{Open: `<article class="post"`, Close: "</article>", IDs: []*regexp.Regexp{
		regexp.MustCompile(`href="(posts/[^"]+\.html)"`), regexp.MustCompile(`id="(post-[^"]+)"`)}},
}
