package demo

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"testing/fstest"

	"github.com/earshot/earshot/listener/replay"
)

// historyHits are Hacker News hits of the three weeks before the
// recordings (demo/testdata/history/hits.json, in the recordings' time):
// a fresh install's backfill, so the demo week has a previous week to
// compare with (share-of-voice and mention changes on Hacker News) and a
// baseline for spikes and emerging terms. Initech led the previous week;
// in the demo week Acme (the solid-state pack, the charger recall) and
// Globex (the price rise) take over.
//
//go:embed testdata/history/hits.json
var historyHits []byte

// recordings is the replay's embedded recordings with historyHits added
// to the Hacker News hit pool; the feeds are the embedded ones.
func recordings() (fs.FS, error) {
	base := replay.Recordings()
	var hits, old []json.RawMessage
	b, err := fs.ReadFile(base, replay.HitsFile)
	if err != nil {
		return nil, fmt.Errorf("demo recordings: %w", err)
	}
	if err := json.Unmarshal(b, &hits); err != nil {
		return nil, fmt.Errorf("demo recordings: %s: %w", replay.HitsFile, err)
	}
	if err := json.Unmarshal(historyHits, &old); err != nil {
		return nil, fmt.Errorf("demo recordings: history hits: %w", err)
	}
	merged, err := json.Marshal(append(hits, old...))
	if err != nil {
		return nil, err
	}
	fsys := fstest.MapFS{replay.HitsFile: {Data: merged}}
	err = fs.WalkDir(base, replay.FeedDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(base, p)
		fsys[p] = &fstest.MapFile{Data: bytes.Clone(data)}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("demo recordings: %w", err)
	}
	return fsys, nil
}
