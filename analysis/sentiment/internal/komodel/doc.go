// Package komodel holds what the Korean sentiment model's trainer and its
// runtime must agree on byte for byte: the feature extractor (hashed
// character n-grams and words of a normalised text) and the binary model
// format.
//
// Features are binary (present or not) and hashed with 64-bit FNV-1a into
// 1<<Bits buckets; a text's feature list is sorted and free of duplicates, so
// a score is the bias plus one weight per distinct bucket. Changing anything
// in features.go changes what a trained model means: bump FeatureVersion and
// retrain (Decode refuses a model trained with other features).
//
// Model file (little-endian), version 1:
//
//	magic   [4]byte "EKSM"
//	version uint16  (1)
//	feature uint16  (FeatureVersion the model was trained with)
//	bits    uint8   (number of hash buckets is 1<<bits, 10..24)
//	pad     [3]byte (zero)
//	scale   float32 (weight = int16 * scale)
//	bias    float32
//	weights [1<<bits]int16
//	crc     uint32  (IEEE CRC-32 of everything before it)
package komodel
