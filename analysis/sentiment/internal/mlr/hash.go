package mlr

import "unicode/utf8"

// Hash is 64-bit FNV-1a over a namespace byte and the bytes that follow,
// folded to 32 bits by Sum. Feature names hash the same on every platform.
type Hash uint64

const (
	fnvOffset Hash = 14695981039346656037
	fnvPrime  Hash = 1099511628211
)

// NewHash starts a hash in namespace ns.
func NewHash(ns byte) Hash { return fnvOffset.Byte(ns) }

// Byte adds one byte.
func (h Hash) Byte(b byte) Hash { return (h ^ Hash(b)) * fnvPrime }

// Rune adds the UTF-8 bytes of r.
func (h Hash) Rune(r rune) Hash {
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	for _, b := range buf[:n] {
		h = h.Byte(b)
	}
	return h
}

// Str adds the bytes of s.
func (h Hash) Str(s string) Hash {
	for i := 0; i < len(s); i++ {
		h = h.Byte(s[i])
	}
	return h
}

// Sum folds h to 32 bits.
func (h Hash) Sum() uint32 { return uint32(h) ^ uint32(h>>32) }
