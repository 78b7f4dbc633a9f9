package report

import (
	"context"

	"github.com/earshot/earshot/config"
)

// Builder builds reports from one source with the configuration current at
// each call (a daemon reloads its config); it implements web.Reporter.
type Builder struct {
	src    Source
	config func() *config.Config
}

// NewBuilder returns a Builder reading src; cfg returns the configuration
// to use when a request carries none.
func NewBuilder(src Source, cfg func() *config.Config) *Builder {
	return &Builder{src: src, config: cfg}
}

// Report builds the report req asks for.
func (b *Builder) Report(ctx context.Context, req Request) (*Report, error) {
	if req.Config == nil && b.config != nil {
		req.Config = b.config()
	}
	return Build(ctx, b.src, req)
}
