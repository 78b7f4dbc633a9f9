package sentiment

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
)

// Model files are gzip-compressed on disk and in the binary (data/*.model.gz):
// a hashed weight table is mostly zeros, and no tracked file may exceed
// 5 MB (scripts/check-tracked-files.sh). CompressModel is what the trainer
// writes; the bytes depend only on the model (no name or time in the
// gzip header), so training stays byte-reproducible.
func CompressModel(model []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(model); err != nil {
		return nil, fmt.Errorf("compress model: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("compress model: %w", err)
	}
	return buf.Bytes(), nil
}

// decompressModel reverses CompressModel, refusing more than maxModelBytes.
func decompressModel(gz []byte, lang string) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("%s sentiment model: %w", lang, err)
	}
	b, err := io.ReadAll(io.LimitReader(r, maxModelBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s sentiment model: %w", lang, err)
	}
	if len(b) > maxModelBytes {
		return nil, fmt.Errorf("%s sentiment model: larger than %d bytes uncompressed", lang, maxModelBytes)
	}
	return b, nil
}

// maxModelBytes bounds one uncompressed model (the embedded pair must stay
// within 16 MB).
const maxModelBytes = 16 << 20
