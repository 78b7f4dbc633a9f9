// Package fakecount is the one rule by which the networks' fakes make
// recorded engagement counts grow with time on their lookup endpoints
// (Hacker News items, Reddit /api/info, YouTube videos.list, X tweet
// lookup, Bluesky getPosts, Mastodon statuses), so that tests and the demo
// can show a refresh raising counts. It is deterministic: the count of a
// post depends only on its recorded count, its publication time and the
// fake's clock.
package fakecount
