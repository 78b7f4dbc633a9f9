// Package match decides which brands and topics a post mentions.
//
// New compiles the configuration once: every brand term (Brand.AllTerms)
// and exclude phrase, normalised and split into words by package query,
// goes into one Aho–Corasick automaton; topics are compiled queries.
// Match tokenises a post's title and text once, scans the space-joined
// normalised words with the automaton, and evaluates the topics over the
// same words. A Matcher is immutable and safe for concurrent use.
//
// Brand rules (the word rules are package query's):
//
//   - a term matches whole words, case-, width- and NFKC-insensitively;
//     multi-word terms match across any run of spaces and punctuation;
//     "Acme" matches "Acme's", "#acme", "Acme-branded", "Acme의", not
//     "Acmeville";
//   - a term ending in Hangul must start a word and may be followed in the
//     same word only by a Korean particle chain (삼성은, 삼성에서는 match
//     삼성; 삼성동 does not; 토스트 does not match 토스);
//   - an occurrence of a term that lies inside an occurrence of one of the
//     same brand's Exclude phrases does not count; other occurrences in
//     the post still do;
//   - "@handle" in the title or text, for a handle the brand has on any
//     network, counts as a mention (an @ right after a word character, as
//     in e-mail addresses, does not);
//   - a post whose Author is one of the brand's handles on Input.Network
//     (case-insensitive, leading @ ignored) is OwnedBy that brand (the
//     first such brand in config order). OwnedBy alone does not add the
//     brand to Brands.
//
// Topics are evaluated over the title and the text together; phrases and
// NEAR do not span from the title into the text.
package match
