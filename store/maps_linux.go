package store

import (
	"errors"
	"fmt"
	"os"
	"unsafe"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"golang.org/x/sys/unix"
)

// adviseDontNeed advises MADV_DONTNEED over size bytes of a file map that
// starts at addr (page-aligned: a map's start), rounded up to whole pages;
// it returns the bytes advised.
func adviseDontNeed(addr uintptr, size int64) (int64, error) {
	if addr == 0 || size <= 0 {
		return 0, nil
	}
	page := int64(os.Getpagesize())
	if int64(addr)%page != 0 {
		return 0, fmt.Errorf("store: release map: address %#x is not page-aligned", addr)
	}
	size = (size + page - 1) / page * page
	// The raw call: the map is not Go memory, and addr is all bbolt says.
	if _, _, e := unix.Syscall(unix.SYS_MADVISE, addr, uintptr(size), unix.MADV_DONTNEED); e != 0 {
		return 0, fmt.Errorf("store: release map: madvise: %w", e)
	}
	return size, nil
}

// fileMapped is a persisted zap segment: Data is its read-only file map
// and Path its file (a segment still in memory has neither).
type fileMapped interface {
	Data() []byte
	Path() string
}

// releaseMaps advises MADV_DONTNEED on every persisted segment of every
// partition, each inside a snapshot reader that keeps its segments mapped.
func (ps *partSet) releaseMaps() (segs int, bytes int64, err error) {
	ps.mu.RLock()
	defer ps.mu.RUnlock()
	var errs []error
	for w, idx := range ps.by {
		n, b, err := releasePart(idx)
		segs, bytes = segs+n, bytes+b
		if err != nil {
			errs = append(errs, fmt.Errorf("partition %s: %w", w, err))
		}
	}
	return segs, bytes, errors.Join(errs...)
}

// releasePart advises one partition's persisted segments.
func releasePart(idx bleve.Index) (segs int, bytes int64, err error) {
	adv, err := idx.Advanced()
	if err != nil {
		return 0, 0, err
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return 0, 0, nil
	}
	r, err := sc.Reader()
	if err != nil {
		return 0, 0, err
	}
	defer func() {
		if cerr := r.Close(); err == nil {
			err = cerr
		}
	}()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return 0, 0, nil
	}
	for _, ss := range snap.Segments() {
		fm, ok := ss.Segment().(fileMapped)
		if !ok || fm.Path() == "" || len(fm.Data()) == 0 {
			continue
		}
		d := fm.Data()
		n, err := adviseDontNeed(uintptr(unsafe.Pointer(&d[0])), int64(len(d)))
		if err != nil {
			return segs, bytes, err
		}
		segs, bytes = segs+1, bytes+n
	}
	return segs, bytes, nil
}
