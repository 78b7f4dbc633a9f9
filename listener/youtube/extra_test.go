package youtube

import (
	"encoding/json"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/youtube/youtubefake"
)

// withExtra copies the fake's recordings and adds a video published in the
// same second as the newest "Acme" hits and a comment on a followed video.
func withExtra(t *testing.T) fs.FS {
	t.Helper()
	m := listenertest.Copy(t, youtubefake.Recordings())
	add := func(name string, item map[string]any) {
		var env map[string]any
		if err := json.Unmarshal(m[youtubefake.Dir+"/"+name].Data, &env); err != nil {
			t.Fatal(err)
		}
		env["items"] = append(env["items"].([]any), item)
		b, _ := json.Marshal(env)
		m[youtubefake.Dir+"/"+name] = &fstest.MapFile{Data: b}
	}
	add("videos.json", map[string]any{"kind": "youtube#video", "id": "nEw17AcmeXx", "snippet": map[string]any{
		"publishedAt": "2026-11-25T12:00:00Z", "channelId": "UCgadgetDesk2026Ab9Xy7Kw", "title": "Acme X2 teardown",
		"description": "Inside the pack.", "channelTitle": "Gadget Desk"}, "statistics": map[string]any{"viewCount": "10", "commentCount": "0"}})
	add("commentThreads.json", map[string]any{"kind": "youtube#commentThread", "id": "UgzNewC0mment1Xx9AaABAg", "snippet": map[string]any{
		"channelId": "UC7bTq0Fz4batteryBench9x", "videoId": "bBench06-Aa", "totalReplyCount": 0,
		"topLevelComment": map[string]any{"kind": "youtube#comment", "id": "UgzNewC0mment1Xx9AaABAg", "snippet": map[string]any{
			"videoId": "bBench06-Aa", "textOriginal": "late to the party", "authorDisplayName": "@late",
			"authorChannelId": map[string]any{"value": "UClate0000000000000000000"}, "likeCount": 0,
			"publishedAt": "2026-11-26T11:00:00Z"}}}})
	return m
}
