package store

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
)

// The store reads bbolt's file and bleve's segment files through read-only
// shared memory maps. A page of a map that the process touched stays in its
// resident set (VmRSS counts it, as RssFile) until the map is closed, even
// when nothing reads it again: the weekly report's hour aggregates, the
// dictionaries and doc values an "any time" search reads in every
// partition, the byid pages a dedup lookup walks. The kernel can drop them
// (clean pages of files), but VmRSS, the figure an operator or a container
// limit watches, keeps growing with the corpus.
//
// releaseMaps drops those pages from the process's page tables with
// madvise(MADV_DONTNEED): on a shared file map this unmaps the pages and
// nothing else — they stay in the page cache, the files are unchanged (bbolt
// writes with pwrite and fdatasync, never through its map; bleve's segments
// are immutable), and the next read of a page is a minor fault that maps it
// again from the cache. The map trimmer calls it when the process's file
// pages pass Options.MapRSSLimit.

// DefaultMapRSSLimit is the file-backed resident size (RssFile) above which
// the store releases its maps' pages: 768 MiB. Between two checks the
// searches and the indexer map pages again (~100 MiB in 2 s at 2M mentions
// under 40 searches/s), and a busy store's anonymous memory reached 0.4–0.7
// GiB at 10M mentions, so that VmRSS stays under 2 GiB.
const DefaultMapRSSLimit = 768 << 20

// mapTrimEvery is how often the trimmer reads the process's RssFile.
const mapTrimEvery = 2 * time.Second

// MapRelease is what one releaseMaps call released.
type MapRelease struct {
	DBBytes    int64 // bytes of bbolt's map advised
	Segments   int   // bleve segment maps advised
	IndexBytes int64 // their bytes
}

// releaseMaps advises the kernel that the process no longer needs the pages
// of bbolt's map and of every persisted bleve segment's map. bbolt's map is
// advised inside a read transaction (which holds bbolt's remap lock: the
// range cannot be unmapped meanwhile); each partition's segments inside a
// snapshot reader (which holds a reference on each segment: none is
// unmapped meanwhile). Segments still in memory (not yet persisted) are
// skipped: their bytes are heap, not a file map.
func (s *Store) releaseMaps() (MapRelease, error) {
	var rel MapRelease
	err := s.db.View(func(tx *bolt.Tx) error {
		n, err := adviseDontNeed(s.db.Info().Data, tx.Size())
		rel.DBBytes = n
		return err
	})
	if err != nil {
		return rel, err
	}
	s.idxMu.RLock()
	defer s.idxMu.RUnlock()
	if s.idx == nil {
		return rel, errClosed
	}
	segs, bytes, err := s.idx.releaseMaps()
	rel.Segments, rel.IndexBytes = segs, bytes
	return rel, err
}

// trimMaps releases the maps when rssFile (the process's file-backed
// resident bytes) is above limit; it reports whether it did.
func (s *Store) trimMaps(limit int64, rssFile func() int64) (bool, MapRelease, error) {
	if limit <= 0 || rssFile() <= limit {
		return false, MapRelease{}, nil
	}
	rel, err := s.releaseMaps()
	return true, rel, err
}

// trimOpened releases the maps of a partition just opened when the
// process's file pages are above the limit: opening reads each segment's
// field and doc-value offsets, scattered over the file, and the kernel maps
// 64 KiB around each read, so that opening a year of partitions would
// otherwise leave most of the index resident before the trimmer's next
// check.
func (s *Store) trimOpened(idx bleve.Index) {
	if s.mapLimit <= 0 || processRSSFile() <= s.mapLimit {
		return
	}
	if _, _, err := releasePart(idx); err != nil {
		s.log.Warn().Err(err).Msg("store: release memory-mapped pages")
	}
}

// runMapTrimmer checks every mapTrimEvery until the store stops.
func (s *Store) runMapTrimmer(limit int64) {
	defer close(s.trimDone)
	t := time.NewTicker(mapTrimEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			did, rel, err := s.trimMaps(limit, processRSSFile)
			if err != nil {
				s.log.Warn().Err(err).Msg("store: release memory-mapped pages")
			} else if did {
				s.log.Debug().Int64("db_bytes", rel.DBBytes).Int("segments", rel.Segments).
					Int64("index_bytes", rel.IndexBytes).Msg("store: released memory-mapped pages")
			}
		}
	}
}

// ProcessMemory is the process's resident set (VmRSS) and its anonymous
// (RssAnon: heap, stacks) and file-backed (RssFile: the memory maps'
// pages) parts, in bytes.
type ProcessMemory struct{ RSS, Anon, File int64 }

// ReadProcessMemory reads ProcessMemory from /proc/self/status; zeros
// where there is none (not Linux).
func ReadProcessMemory() ProcessMemory {
	var m ProcessMemory
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		if err != nil {
			continue
		}
		switch key {
		case "VmRSS":
			m.RSS = kb << 10
		case "RssAnon":
			m.Anon = kb << 10
		case "RssFile":
			m.File = kb << 10
		}
	}
	return m
}

// processRSSFile is the process's file-backed resident bytes; 0 when
// unknown.
func processRSSFile() int64 { return ReadProcessMemory().File }
