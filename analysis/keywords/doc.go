// Package keywords extracts named entities and keywords from a post, for
// emerging-topic detection. Brands are found by the matcher, not here.
//
// English goes through prose v2 with the tagger and NER model loaded ONCE
// by New (prose.NewDocument otherwise decodes ~10 MB of gob models on every
// call) and segmentation off (the Punkt segmenter is slow and keywords do
// not need sentences); see BenchmarkPerDocumentModel for the ratio.
// Entities become Keyword{Kind: "entity:PERSON"|"entity:GPE"|...}, nouns
// (NN*) not inside an entity become Kind "noun". Korean (Hangul) words are
// particle-stripped (삼성에서는 → 삼성) and kept as Kind "noun" when at least
// two syllables long and not a stopword. Stopwords are removed in both
// languages; keywords are lower-cased (entities keep their case) and
// distinct. An Extractor is safe for concurrent use.
package keywords
