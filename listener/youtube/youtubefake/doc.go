// Package youtubefake is a fake YouTube Data API v3 for tests and the demo,
// replaying the recordings embedded from its testdata/ (Recordings();
// Options.FS replaces them for tests that need changed ones).
//
// Contract: New answers, under /youtube/v3/ (also when mounted below a
// prefix with http.StripPrefix):
//   - search?q=&type=video&order=date&publishedAfter=&channelId=: the videos
//     of videos.json whose title, description or channel title contain
//     every word of q (case-insensitively), published at or after
//     publishedAfter, newest first, as youtube#searchResult items with
//     HTML-escaped titles and a truncated description (as the real API).
//   - videos?id=a,b&part=snippet,statistics (at most 50 ids), channels?id=
//     or forHandle= (items omitted when nothing matches), playlistItems of
//     a channel's uploads playlist (UU...) with one deleted video, and
//     commentThreads?videoId= or allThreadsRelatedToChannelId=, newest
//     first, replies only with part=replies. A video without commentCount
//     has comments disabled: 403 commentsDisabled; an unknown video 404.
//   - paging with maxResults and opaque pageToken/nextPageToken; a bad
//     token is 400 invalidPageToken.
//   - a key other than Options.APIKey (when set; else a missing key) gets
//     the real 400 API_KEY_INVALID body; with Options.DailyQuota set, calls
//     are charged real unit costs (search 100, others 1) and once spent
//     answer 403 quotaExceeded.
//
// Every fixture time is moved by Options.Shift. Error bodies are the
// files under testdata/errors.
package youtubefake
