package listenertest

import "github.com/earshot/earshot/listener"

// ByID keys posts by native id (a later duplicate wins).
func ByID(posts []listener.Post) map[string]listener.Post {
	m := make(map[string]listener.Post, len(posts))
	for _, p := range posts {
		m[p.NativeID] = p
	}
	return m
}
