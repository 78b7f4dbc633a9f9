package sentiment

import (
	"bytes"
	"testing"
)

// The embedded files decompress to models the analyzer loads, the
// compression is deterministic (training stays byte-reproducible), and a
// damaged or oversized file is refused.
func TestModelFilesRoundTrip(t *testing.T) {
	en, err := decompressModel(enModelBytes, "en")
	if err != nil {
		t.Fatal(err)
	}
	gz1, err := CompressModel(en)
	if err != nil {
		t.Fatal(err)
	}
	gz2, _ := CompressModel(en)
	if !bytes.Equal(gz1, gz2) || !bytes.Equal(gz1, enModelBytes) {
		t.Fatalf("compression not deterministic or differs from the embedded file (%d, %d, %d bytes)", len(gz1), len(gz2), len(enModelBytes))
	}
	back, err := decompressModel(gz1, "en")
	if err != nil || !bytes.Equal(back, en) {
		t.Fatalf("round trip: %v", err)
	}
	if _, err := decompressModel(gz1[:len(gz1)/2], "en"); err == nil {
		t.Error("a truncated model file was accepted")
	}
	big, _ := CompressModel(make([]byte, maxModelBytes+1))
	if _, err := decompressModel(big, "en"); err == nil {
		t.Error("an oversized model was accepted")
	}
}
