package daumfake

import (
	"embed"
	"io/fs"
)

// recordings are the Daum search answers this fake replays, recorded under
// testdata/ next to this file.
//
//go:embed testdata/*.json testdata/errors
var recordings embed.FS

// Recordings returns the embedded recordings, at the paths Dir and ErrorsDir
// name. Tests read them, or copy and change them for Options.FS.
func Recordings() fs.FS { return recordings }

// recordings returns Options.FS, or the embedded recordings when it is nil.
func (o Options) recordings() fs.FS {
	if o.FS != nil {
		return o.FS
	}
	return recordings
}
