package metrics

import (
	"context"
	"time"

	"github.com/earshot/earshot/listener"
)

// InstrumentSource returns src timing every Fetch into FetchDuration and
// counting failed ones (an error, partial or not) into FetchErrors. With a
// nil Registry it returns src unchanged. clock nil means time.Now.
func (r *Registry) InstrumentSource(src listener.Source, clock func() time.Time) listener.Source {
	if r == nil || src == nil {
		return src
	}
	if clock == nil {
		clock = time.Now
	}
	return &instrumented{Source: src, r: r, clock: clock}
}

type instrumented struct {
	listener.Source
	r     *Registry
	clock func() time.Time
}

func (s *instrumented) Fetch(ctx context.Context, cursor []byte) ([]listener.Post, []byte, error) {
	start := s.clock()
	posts, next, err := s.Source.Fetch(ctx, cursor)
	name, network := s.Name(), s.Network()
	s.r.FetchDuration.WithLabelValues(name, network).Observe(s.clock().Sub(start).Seconds())
	if err != nil && ctx.Err() == nil {
		s.r.FetchErrors.WithLabelValues(name, network).Inc()
	}
	return posts, next, err
}
