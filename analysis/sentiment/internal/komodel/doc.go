// Package komodel is the Korean half of the sentiment feature extractor:
// hashed character n-grams and words of a normalised text, shared byte for
// byte by the trainer and the runtime (package sentiment adds negation and
// cue features and feeds both to its mlr models).
//
// Features are binary (present or not) and hashed with 64-bit FNV-1a into
// 1<<bits buckets; a text's feature list is free of duplicates, so a score
// is one weight per distinct bucket. Changing anything in features.go
// changes what a trained model means: bump sentiment's featureVersion and
// retrain (New refuses a model trained with other features).
package komodel
