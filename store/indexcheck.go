package store

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/util"
	bolt "go.etcd.io/bbolt"
)

// openChecked opens the bleve index at path after verifying the checksums of
// the segments its newest snapshot uses. bleve does not verify them itself,
// and a corrupt segment makes zap panic ("makeslice: len out of range") or
// allocate terabytes (a fatal, unrecoverable out-of-memory) while opening
// it. The index is derived from bbolt, so the caller rebuilds it instead of
// crashing on every start. A panic inside bleve is returned as an error too.
func openChecked(path string) (idx bleve.Index, err error) {
	if err := checkSegments(path); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			idx, err = nil, fmt.Errorf("corrupt index (bleve panicked while opening it: %v)", r)
		}
	}()
	return bleve.Open(path)
}

// checkSegments verifies the CRC-32 footer (the last 4 bytes, the IEEE
// checksum of everything before them, as zap writes it) of every segment
// file listed in the newest snapshot of path/store/root.bolt. Segment files
// no snapshot lists (a segment being written when the process was killed)
// are not read: bleve ignores and later removes them. A missing root.bolt is
// left to bleve.Open to report.
func checkSegments(path string) (err error) {
	root := filepath.Join(path, "store", "root.bolt")
	if _, err := os.Stat(root); err != nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("corrupt index snapshot %s: %v", root, r)
		}
	}()
	db, err := bolt.Open(root, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("corrupt index snapshot %s: %w", root, err)
	}
	var segs []string
	err = db.View(func(tx *bolt.Tx) error {
		snaps := tx.Bucket(util.BoltSnapshotsBucket)
		if snaps == nil {
			return nil
		}
		// Snapshot keys are ascending-encoded epochs, which sort after the
		// one-letter keys (the trainer's) that share the bucket.
		k, v := snaps.Cursor().Last()
		if k == nil || v != nil {
			return nil
		}
		snap := snaps.Bucket(k)
		return snap.ForEachBucket(func(name []byte) error {
			if len(name) == 0 || name[0] == util.BoltInternalKey[0] || name[0] == util.BoltMetaDataKey[0] {
				return nil
			}
			if p := snap.Bucket(name).Get(util.BoltPathKey); p != nil {
				segs = append(segs, string(p))
			}
			return nil
		})
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("corrupt index snapshot %s: %w", root, err)
	}
	for _, seg := range segs {
		if err := checkSegment(filepath.Join(path, "store", filepath.Base(seg))); err != nil {
			return err
		}
	}
	return nil
}

// checkSegment verifies one segment file's CRC-32 footer.
func checkSegment(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("index segment: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("index segment: %w", err)
	}
	if fi.Size() < 4 {
		return fmt.Errorf("corrupt index segment %s: %d bytes", path, fi.Size())
	}
	h := crc32.NewIEEE()
	if _, err := io.CopyN(h, f, fi.Size()-4); err != nil {
		return fmt.Errorf("index segment %s: %w", path, err)
	}
	var sum [4]byte
	if _, err := io.ReadFull(f, sum[:]); err != nil {
		return fmt.Errorf("index segment %s: %w", path, err)
	}
	if got, want := h.Sum32(), binary.BigEndian.Uint32(sum[:]); got != want {
		return fmt.Errorf("corrupt index segment %s: checksum %08x, footer says %08x", path, got, want)
	}
	return nil
}
