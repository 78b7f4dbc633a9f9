package mlr

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
)

// Classes, in the order of the weights.
const (
	Neg = iota
	Neu
	Pos
	K // number of classes
)

// Format constants; see the package comment.
const (
	Magic      = "EMLR"
	Version    = 1
	headerSize = 4 + 2 + 2 + 2 + 1 + 1 + 4 + 4*K + 4 + 4 + 4
	MinBits    = 10
	MaxBits    = 24
)

// Feat is one feature of a text: a hash bucket and its value (1 for a
// present n-gram, a real number for a lexicon score).
type Feat struct {
	Idx uint32
	Val float32
}

// Model is a trained, calibrated three-class model.
type Model struct {
	Lang        string // "en" or "ko"
	FeatVersion uint16
	Bits        uint8
	Bias        [K]float32
	Temp        float32   // calibration temperature
	Band        float32   // neutral band on P(pos)-P(neg)
	Prior       float32   // weight of the lexicon prior (see AddPrior)
	W           []float32 // len K<<Bits, bucket-major
}

// Logits returns the uncalibrated class scores of a feature list.
func (m *Model) Logits(fs []Feat) [K]float64 {
	var z [K]float64
	for c := range z {
		z[c] = float64(m.Bias[c])
	}
	mask := uint32(len(m.W)/K - 1)
	for _, f := range fs {
		w := m.W[K*(f.Idx&mask):]
		v := float64(f.Val)
		z[0] += v * float64(w[0])
		z[1] += v * float64(w[1])
		z[2] += v * float64(w[2])
	}
	return z
}

// AddPrior adds the lexicon prior to logits z: Prior·compound to the
// positive class and as much from the negative one, compound being
// VADER's score of the text (-1..1, 0 when it has no lexicon word).
func (m *Model) AddPrior(z [K]float64, compound float64) [K]float64 {
	d := float64(m.Prior) * compound
	z[Pos] += d
	z[Neg] -= d
	return z
}

// Probs returns the calibrated class probabilities of logits z.
func (m *Model) Probs(z [K]float64) [K]float64 {
	t := float64(m.Temp)
	if t <= 0 {
		t = 1
	}
	for c := range z {
		z[c] /= t
	}
	return Softmax(z)
}

// Softmax is the numerically stable softmax of z.
func Softmax(z [K]float64) [K]float64 {
	hi := max(z[0], z[1], z[2])
	var p [K]float64
	var sum float64
	for c := range z {
		p[c] = math.Exp(z[c] - hi)
		sum += p[c]
	}
	for c := range p {
		p[c] /= sum
	}
	return p
}

// Encode writes m in the version 1 format, quantising weights to int16 with
// one scale for the whole table. The output depends only on m.
func Encode(m *Model) ([]byte, error) {
	if m.Bits < MinBits || m.Bits > MaxBits || len(m.W) != K<<m.Bits {
		return nil, fmt.Errorf("mlr: bits %d with %d weights is not a valid model", m.Bits, len(m.W))
	}
	if len(m.Lang) != 2 {
		return nil, fmt.Errorf("mlr: language %q, want two letters", m.Lang)
	}
	if !(m.Temp > 0) || !finite(m.Temp) || !(m.Band >= 0 && m.Band < 1) || !finite(m.Prior) {
		return nil, fmt.Errorf("mlr: temperature %v or band %v out of range", m.Temp, m.Band)
	}
	var maxAbs float64
	for _, w := range m.W {
		if !finite(w) {
			return nil, errors.New("mlr: weight is not finite")
		}
		maxAbs = max(maxAbs, math.Abs(float64(w)))
	}
	scale := float32(1)
	if maxAbs > 0 {
		scale = float32(maxAbs / math.MaxInt16)
	}
	buf := make([]byte, headerSize, headerSize+2*len(m.W)+4)
	copy(buf, Magic)
	binary.LittleEndian.PutUint16(buf[4:], Version)
	binary.LittleEndian.PutUint16(buf[6:], m.FeatVersion)
	copy(buf[8:10], m.Lang)
	buf[10] = m.Bits
	o := 12
	put := func(f float32) { binary.LittleEndian.PutUint32(buf[o:], math.Float32bits(f)); o += 4 }
	put(scale)
	for _, b := range m.Bias {
		put(b)
	}
	put(m.Temp)
	put(m.Band)
	put(m.Prior)
	for _, w := range m.W {
		q := math.Round(float64(w) / float64(scale))
		buf = binary.LittleEndian.AppendUint16(buf, uint16(int16(max(-math.MaxInt16, min(math.MaxInt16, q)))))
	}
	return binary.LittleEndian.AppendUint32(buf, crc32.ChecksumIEEE(buf)), nil
}

// Decode parses a model written by Encode, checking magic, version, size
// and checksum. It does not check the feature version: the caller knows
// which one it extracts.
func Decode(b []byte) (*Model, error) {
	if len(b) < headerSize+4 || string(b[:4]) != Magic {
		return nil, errors.New("mlr: not a sentiment model (bad magic)")
	}
	if v := binary.LittleEndian.Uint16(b[4:]); v != Version {
		return nil, fmt.Errorf("mlr: model format version %d, want %d", v, Version)
	}
	bits := b[10]
	if bits < MinBits || bits > MaxBits {
		return nil, fmt.Errorf("mlr: %d hash bits out of range %d..%d", bits, MinBits, MaxBits)
	}
	n := K << bits
	if want := headerSize + 2*n + 4; len(b) != want {
		return nil, fmt.Errorf("mlr: model is %d bytes, want %d for %d bits", len(b), want, bits)
	}
	body := b[:len(b)-4]
	if got, want := crc32.ChecksumIEEE(body), binary.LittleEndian.Uint32(b[len(b)-4:]); got != want {
		return nil, fmt.Errorf("mlr: checksum mismatch (%08x, want %08x): file corrupt", got, want)
	}
	m := &Model{Lang: string(b[8:10]), FeatVersion: binary.LittleEndian.Uint16(b[6:]), Bits: bits, W: make([]float32, n)}
	o := 12
	get := func() float32 { f := math.Float32frombits(binary.LittleEndian.Uint32(b[o:])); o += 4; return f }
	scale := get()
	for c := range m.Bias {
		m.Bias[c] = get()
	}
	m.Temp, m.Band, m.Prior = get(), get(), get()
	for _, f := range append([]float32{scale, m.Temp, m.Band, m.Prior}, m.Bias[:]...) {
		if !finite(f) {
			return nil, errors.New("mlr: header value is not finite")
		}
	}
	if !(m.Temp > 0) || m.Band < 0 || m.Band >= 1 {
		return nil, fmt.Errorf("mlr: temperature %v or band %v out of range", m.Temp, m.Band)
	}
	ws := body[headerSize:]
	for i := range m.W {
		m.W[i] = float32(int16(binary.LittleEndian.Uint16(ws[2*i:]))) * scale
	}
	return m, nil
}

func finite(f float32) bool { return !math.IsNaN(float64(f)) && !math.IsInf(float64(f), 0) }
