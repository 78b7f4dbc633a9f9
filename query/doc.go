// Package query is Earshot's topic query language and the text rules
// (normalisation, words, Korean particles) that every matcher and search
// index in Earshot shares.
//
// # Grammar
//
//	query   = or
//	or      = and { "OR" and }
//	and     = near { [ "AND" ] near }        adjacent operands are ANDed
//	near    = unary [ ( "NEAR" | "NEAR/" n ) unary ]   n in 1..50, NEAR = NEAR/5
//	unary   = ( "NOT" | "-" ) unary | primary    -word is NOT word
//	primary = word | word "*" | "*" word | '"' phrase '"' | "(" or ")"
//
// Precedence is NOT > NEAR > AND > OR. Operators are upper case only;
// "and", "or", "not" and "near" are ordinary words. A word is any run of
// characters other than spaces, parentheses and double quotes; a * is
// allowed at its end (batter* matches battery, batteries) or, before one
// Korean word of MinCompound syllables or more, at its start: a compound
// term (*배터리 matches 보조배터리가, CompoundMatch). A phrase
// has no escapes. The operands of NEAR must be single words or phrases,
// and NEAR pairs do not chain (a NEAR b NEAR c is an error).
//
// Queries that match nothing useful are rejected: the empty query, a query
// made only of negations (NOT foo), and an OR with a negated branch
// (a OR NOT b). Limits: 4096 bytes, 32 levels of parentheses and NOT,
// 256 terms. Errors are *SyntaxError carrying the byte offset.
//
// String prints the canonical form (explicit AND, NOT for -, NEAR/n), which
// Parse reads back into the same tree.
//
// # Matching
//
// Text and terms are compared after Normalize (NFKC and case folding:
// "ＡＣＭＥ" is "acme") and Tokenize, which splits words at anything that
// is not a letter or digit and where the script changes between Hangul
// syllables, Hangul letters (ㅋㅋ) and other letters; each Han or kana
// character is a word of its own. Hence:
//
//   - a word term matches whole words: acme matches "Acme's", "#acme" and
//     "Acme-branded" but not "Acmeville";
//   - a term or phrase of several words matches those words consecutively,
//     whatever spaces or punctuation lie between them;
//   - a word ending in a Hangul syllable also matches when Korean endings
//     (particles and copula forms, korean_endings.tsv) follow it in the
//     same word, by IsEndingSplit (삼성 matches 삼성은, 삼성에서는,
//     삼성이지만, 토스라니, but not 삼성동; 토스 does not match 토스트), and
//     it must start a word; "Acme의" and "아크미(Acme)" match acme and
//     아크미. A query word is first reduced by KoreanStem, so 고객센터가
//     finds what 고객센터 finds;
//   - a compound term *w matches a word that, or whose stem (KoreanStems),
//     ends in w: 배터리, 배터리도, 보조배터리, 보조배터리가, not 배터리팩;
//     the index side is CompoundSuffixes (compound.go);
//   - NEAR/n holds when the two terms occur, in either order and without
//     overlapping, at most n word positions apart (adjacent words are 1
//     apart).
//
// Eval and Highlight apply a query to one text; Compile prepares a query
// for many texts. KoreanStems is the index-side counterpart of the ending
// rule, for search indexes that store stems next to each word; korean.go
// says how the rule is built (docs/korean.md how it was derived).
package query
