// Package mlr holds what the sentiment trainer and its runtime must agree
// on byte for byte: the three-class (negative, neutral, positive)
// multinomial logistic regression over hashed, real-valued features, and
// its binary model format.
//
// A text's features are (bucket, value) pairs; the model's class scores
// are z_c = Bias[c] + Σ value·W[bucket][c], plus Prior·compound for the
// positive class and minus it for the negative one (compound is VADER's
// score of the text), divided by the calibration temperature T before the
// softmax. Score = P(positive) − P(negative); a
// text is neutral when |Score| < Band. T and Band are fitted on a
// held-out split by the trainer (see package train).
//
// Model file (little-endian), version 1:
//
//	magic    [4]byte "EMLR"
//	version  uint16  (1)
//	feature  uint16  (feature set version the model was trained with)
//	lang     [2]byte ("en" or "ko")
//	bits     uint8   (1<<bits buckets, 10..24)
//	pad      [1]byte (zero)
//	scale    float32 (weight = int16 * scale)
//	bias     [3]float32
//	temp     float32 (calibration temperature, > 0)
//	band     float32 (neutral band on Score, 0..1)
//	prior    float32 (weight of VADER's compound added to the logits)
//	weights  [1<<bits][3]int16
//	crc      uint32  (IEEE CRC-32 of everything before it)
package mlr
