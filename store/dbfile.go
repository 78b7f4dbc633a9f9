package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
)

// bbolt's meta page (go.etcd.io/bbolt internal/common/meta.go), little
// endian after a 16-byte page header: magic, version, page size, flags
// (4 bytes each), root bucket (page id + sequence, 16), freelist page (8),
// page high-water mark pgid (8), txid (8), then the FNV-64a checksum of
// everything from magic to txid.
const (
	boltMagic       = 0xED0CDAED
	boltVersion     = 2
	boltMetaAt      = 16 // the meta struct within its page
	boltMetaSumSpan = 56 // bytes the checksum covers
	boltMetaLen     = boltMetaSumSpan + 8
)

// ErrDamaged is wrapped by errors about a database file that is truncated
// or damaged; the error names the file and what is wrong.
var ErrDamaged = errors.New("database file damaged")

// damagedAdvice is what the operator should do about a damaged database.
const damagedAdvice = "stop earshot, keep a copy of the file, run `earshot verify` for details and `earshot restore -from BACKUP` to install the last good backup"

// metaPage is one decoded bbolt meta page.
type metaPage struct {
	magic, version, pageSize uint32
	pgid, txid               uint64
	sumOK                    bool
}

// valid is what bbolt itself accepts.
func (m metaPage) valid() bool { return m.magic == boltMagic && m.version == boltVersion && m.sumOK }

func decodeMeta(b []byte) metaPage {
	m := b[boltMetaAt : boltMetaAt+boltMetaLen]
	h := fnv.New64a()
	_, _ = h.Write(m[:boltMetaSumSpan])
	return metaPage{
		magic:    binary.LittleEndian.Uint32(m[0:]),
		version:  binary.LittleEndian.Uint32(m[4:]),
		pageSize: binary.LittleEndian.Uint32(m[8:]),
		pgid:     binary.LittleEndian.Uint64(m[40:]),
		txid:     binary.LittleEndian.Uint64(m[48:]),
		sumOK:    binary.LittleEndian.Uint64(m[boltMetaSumSpan:]) == h.Sum64(),
	}
}

// fileCheck is what checkDBFile found: the state of both meta pages.
type fileCheck struct {
	size     int64
	pageSize int64
	meta     [2]metaPage
	problems []string // meta pages bbolt would skip (it uses the other one)
}

// checkDBFile reads both meta pages of the bbolt file at path before
// anything maps it: at least one must be valid (magic, version, checksum)
// and the file must hold every page the newest valid one claims. bbolt
// maps the file, and reading a page past the end of a truncated file is a
// SIGBUS no Go code can recover from, so this check is what turns a
// truncated file into an error. A damaged meta page beside a valid one is
// reported in problems (bbolt falls back to the other, an earlier commit).
func checkDBFile(path string) (fileCheck, error) {
	var fc fileCheck
	f, err := os.Open(path)
	if err != nil {
		return fc, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fc, err
	}
	fc.size = fi.Size()
	damaged := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s; %s", ErrDamaged, path, fmt.Sprintf(format, a...), damagedAdvice)
	}
	var p0 [boltMetaAt + boltMetaLen]byte
	if _, err := io.ReadFull(f, p0[:]); err != nil {
		return fc, damaged("truncated to %d bytes, shorter than a meta page", fc.size)
	}
	m0 := decodeMeta(p0[:])
	ps := int64(m0.pageSize)
	if !m0.valid() || ps < 512 || ps > 1<<20 || ps&(ps-1) != 0 {
		ps = int64(os.Getpagesize()) // bbolt's default, where it looks for meta page 1 too
	}
	var p1 [boltMetaAt + boltMetaLen]byte
	if _, err := f.ReadAt(p1[:], ps); err != nil {
		return fc, damaged("truncated to %d bytes, shorter than two meta pages of %d bytes", fc.size, ps)
	}
	fc.meta = [2]metaPage{m0, decodeMeta(p1[:])}
	best := -1
	for i, m := range fc.meta {
		switch {
		case m.magic != boltMagic:
			fc.problems = append(fc.problems, fmt.Sprintf("meta page %d: not a bbolt meta page (magic %#x)", i, m.magic))
		case m.version != boltVersion:
			fc.problems = append(fc.problems, fmt.Sprintf("meta page %d: bbolt version %d, want %d", i, m.version, boltVersion))
		case !m.sumOK:
			fc.problems = append(fc.problems, fmt.Sprintf("meta page %d: checksum mismatch", i))
		default:
			if best < 0 || m.txid > fc.meta[best].txid {
				best = i
			}
		}
	}
	if best < 0 {
		if m0.magic != boltMagic && fc.meta[1].magic != boltMagic {
			return fc, fmt.Errorf("%w: %s is not a bbolt database file", ErrDamaged, path)
		}
		return fc, damaged("both meta pages are damaged (%s)", joinProblems(fc.problems))
	}
	m := fc.meta[best]
	fc.pageSize = int64(m.pageSize)
	if fc.pageSize < 512 || fc.pageSize > 1<<20 || fc.pageSize&(fc.pageSize-1) != 0 {
		return fc, damaged("meta page %d: page size %d is not plausible", best, fc.pageSize)
	}
	if m.pgid > uint64(math.MaxInt64/fc.pageSize) || int64(m.pgid)*fc.pageSize > fc.size {
		return fc, damaged("truncated: %d bytes, the database claims %d pages of %d bytes (%d bytes)",
			fc.size, m.pgid, fc.pageSize, int64(m.pgid)*fc.pageSize)
	}
	return fc, nil
}

func joinProblems(ps []string) string {
	out := ""
	for i, p := range ps {
		if i > 0 {
			out += "; "
		}
		out += p
	}
	return out
}
