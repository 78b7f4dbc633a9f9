package komodel

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
)

// Format constants; see the package comment.
const (
	Magic      = "EKSM"
	Version    = 1
	headerSize = 4 + 2 + 2 + 1 + 3 + 4 + 4
	MinBits    = 10
	MaxBits    = 24
)

// Model is a trained binary logistic regression over hashed features:
// P(positive | text) = sigmoid(Bias + Σ Weights[f] for f in Features(text)).
type Model struct {
	Bits    uint8
	Bias    float32
	Weights []float32 // len 1<<Bits
}

// Logit returns the model's log-odds of "positive" for a feature list from
// an Extractor with the same Bits.
func (m *Model) Logit(feats []uint32) float64 {
	s := float64(m.Bias)
	mask := uint32(len(m.Weights) - 1)
	for _, f := range feats {
		s += float64(m.Weights[f&mask])
	}
	return s
}

// Encode writes m in the version 1 format, quantising weights to int16 with
// one scale for the whole table. The output depends only on m.
func Encode(m *Model) ([]byte, error) {
	if m.Bits < MinBits || m.Bits > MaxBits || len(m.Weights) != 1<<m.Bits {
		return nil, fmt.Errorf("komodel: bits %d with %d weights is not a valid model", m.Bits, len(m.Weights))
	}
	var maxAbs float64
	for _, w := range m.Weights {
		if math.IsNaN(float64(w)) || math.IsInf(float64(w), 0) {
			return nil, errors.New("komodel: weight is not finite")
		}
		maxAbs = max(maxAbs, math.Abs(float64(w)))
	}
	scale := float32(1)
	if maxAbs > 0 {
		scale = float32(maxAbs / math.MaxInt16)
	}
	buf := make([]byte, headerSize, headerSize+2*len(m.Weights)+4)
	copy(buf, Magic)
	binary.LittleEndian.PutUint16(buf[4:], Version)
	binary.LittleEndian.PutUint16(buf[6:], FeatureVersion)
	buf[8] = m.Bits
	binary.LittleEndian.PutUint32(buf[12:], math.Float32bits(scale))
	binary.LittleEndian.PutUint32(buf[16:], math.Float32bits(m.Bias))
	for _, w := range m.Weights {
		q := math.Round(float64(w) / float64(scale))
		buf = binary.LittleEndian.AppendUint16(buf, uint16(int16(max(-math.MaxInt16, min(math.MaxInt16, q)))))
	}
	buf = binary.LittleEndian.AppendUint32(buf, crc32.ChecksumIEEE(buf))
	return buf, nil
}

// Decode parses a model written by Encode, checking magic, versions, size
// and checksum.
func Decode(b []byte) (*Model, error) {
	if len(b) < headerSize+4 || string(b[:4]) != Magic {
		return nil, errors.New("komodel: not a Korean sentiment model (bad magic)")
	}
	if v := binary.LittleEndian.Uint16(b[4:]); v != Version {
		return nil, fmt.Errorf("komodel: model format version %d, want %d", v, Version)
	}
	if v := binary.LittleEndian.Uint16(b[6:]); v != FeatureVersion {
		return nil, fmt.Errorf("komodel: model trained with feature version %d, this build extracts version %d: retrain", v, FeatureVersion)
	}
	bits := b[8]
	if bits < MinBits || bits > MaxBits {
		return nil, fmt.Errorf("komodel: %d hash bits out of range %d..%d", bits, MinBits, MaxBits)
	}
	n := 1 << bits
	if want := headerSize + 2*n + 4; len(b) != want {
		return nil, fmt.Errorf("komodel: model is %d bytes, want %d for %d bits", len(b), want, bits)
	}
	body := b[:len(b)-4]
	if got, want := crc32.ChecksumIEEE(body), binary.LittleEndian.Uint32(b[len(b)-4:]); got != want {
		return nil, fmt.Errorf("komodel: checksum mismatch (%08x, want %08x): file corrupt", got, want)
	}
	scale := math.Float32frombits(binary.LittleEndian.Uint32(b[12:]))
	bias := math.Float32frombits(binary.LittleEndian.Uint32(b[16:]))
	if !finite(scale) || !finite(bias) {
		return nil, errors.New("komodel: scale or bias is not finite")
	}
	m := &Model{Bits: bits, Bias: bias, Weights: make([]float32, n)}
	ws := body[headerSize:]
	for i := range m.Weights {
		m.Weights[i] = float32(int16(binary.LittleEndian.Uint16(ws[2*i:]))) * scale
	}
	return m, nil
}

func finite(f float32) bool { return !math.IsNaN(float64(f)) && !math.IsInf(float64(f), 0) }
