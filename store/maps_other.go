//go:build !linux

package store

import "github.com/blevesearch/bleve/v2"

// Elsewhere than Linux the maps are not released: there is no RssFile to
// watch, and the trimmer never finds it above its limit.

func adviseDontNeed(uintptr, int64) (int64, error)   { return 0, nil }
func (ps *partSet) releaseMaps() (int, int64, error) { return 0, 0, nil }
func releasePart(bleve.Index) (int, int64, error)    { return 0, 0, nil }
