package youtube

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Response shapes of the YouTube Data API v3; unused fields are ignored.
// Every list response may omit items when it is empty.

type searchResponse struct {
	Kind          string         `json:"kind"`
	NextPageToken string         `json:"nextPageToken"`
	Items         []searchResult `json:"items"`
}

type searchResult struct {
	ID struct {
		Kind    string `json:"kind"`
		VideoID string `json:"videoId"`
	} `json:"id"`
	Snippet snippet `json:"snippet"`
}

// snippet is the part shared by search results, videos and playlist items.
type snippet struct {
	PublishedAt          string `json:"publishedAt"`
	ChannelID            string `json:"channelId"`
	Title                string `json:"title"`
	Description          string `json:"description"`
	ChannelTitle         string `json:"channelTitle"`
	DefaultLanguage      string `json:"defaultLanguage"`
	DefaultAudioLanguage string `json:"defaultAudioLanguage"`
	ResourceID           struct {
		VideoID string `json:"videoId"`
	} `json:"resourceId"`
	VideoOwnerChannelID    string `json:"videoOwnerChannelId"`
	VideoOwnerChannelTitle string `json:"videoOwnerChannelTitle"`
}

type videoListResponse struct {
	Items []video `json:"items"`
}

type video struct {
	ID         string            `json:"id"`
	Snippet    *snippet          `json:"snippet"`
	Statistics map[string]string `json:"statistics"`
}

type playlistItemsResponse struct {
	NextPageToken string         `json:"nextPageToken"`
	Items         []playlistItem `json:"items"`
}

type playlistItem struct {
	Snippet        snippet `json:"snippet"`
	ContentDetails struct {
		VideoID          string `json:"videoId"`
		VideoPublishedAt string `json:"videoPublishedAt"`
	} `json:"contentDetails"`
}

type channelListResponse struct {
	Items []channel `json:"items"`
}

type channel struct {
	ID      string `json:"id"`
	Snippet struct {
		Title     string `json:"title"`
		CustomURL string `json:"customUrl"`
	} `json:"snippet"`
	ContentDetails struct {
		RelatedPlaylists struct {
			Uploads string `json:"uploads"`
		} `json:"relatedPlaylists"`
	} `json:"contentDetails"`
	Statistics struct {
		SubscriberCount       string `json:"subscriberCount"`
		HiddenSubscriberCount bool   `json:"hiddenSubscriberCount"`
	} `json:"statistics"`
}

type threadListResponse struct {
	NextPageToken string   `json:"nextPageToken"`
	Items         []thread `json:"items"`
}

type thread struct {
	ID      string `json:"id"`
	Snippet struct {
		ChannelID       string  `json:"channelId"`
		VideoID         string  `json:"videoId"`
		TopLevelComment comment `json:"topLevelComment"`
		TotalReplyCount int64   `json:"totalReplyCount"`
	} `json:"snippet"`
	Replies struct {
		Comments []comment `json:"comments"`
	} `json:"replies"`
}

type comment struct {
	ID      string `json:"id"`
	Snippet struct {
		VideoID           string `json:"videoId"`
		AuthorDisplayName string `json:"authorDisplayName"`
		AuthorChannelID   struct {
			Value string `json:"value"`
		} `json:"authorChannelId"`
		TextDisplay  string `json:"textDisplay"`
		TextOriginal string `json:"textOriginal"`
		ParentID     string `json:"parentId"`
		LikeCount    int64  `json:"likeCount"`
		PublishedAt  string `json:"publishedAt"`
	} `json:"snippet"`
}

// decode unmarshals a 2xx body into v, refusing bodies that are not a JSON
// object (an HTML error page with status 200, a truncated body).
func decode(b []byte, v any) error {
	t := strings.TrimSpace(string(b))
	if !strings.HasPrefix(t, "{") {
		return fmt.Errorf("not a JSON object (starts %q)", prefix(t, 40))
	}
	return json.Unmarshal(b, v)
}

func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// parseTime reads the API's RFC 3339 timestamps; ok is false for anything else.
func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() < 2005 || t.Year() > 9999 {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// count parses one of the API's string counts ("184328"); ok is false when
// absent or not a non-negative integer.
func count(m map[string]string, key string) (int64, bool) {
	v, ok := m[key]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// validID reports whether a video, channel, playlist or comment id is
// usable in a URL parameter: the API's ids are [A-Za-z0-9_-] plus '.' in
// reply ids, and short.
func validID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
