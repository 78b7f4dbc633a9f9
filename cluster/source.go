package cluster

import (
	"context"

	"github.com/earshot/earshot/listener"
)

// LeasedSource polls its Source only while the node holds the source's
// lease; otherwise Fetch returns no posts and no cursor (nothing is
// committed, and the scheduler counts it as an empty poll).
type LeasedSource struct {
	listener.Source
	Node *Node
}

// Fetch implements listener.Source.
func (s LeasedSource) Fetch(ctx context.Context, cursor []byte) ([]listener.Post, []byte, error) {
	if !s.Node.Holds(KindSource, s.Name()) {
		return nil, nil, nil
	}
	return s.Source.Fetch(ctx, cursor)
}

// Unwrap returns the wrapped source.
func (s LeasedSource) Unwrap() listener.Source { return s.Source }
