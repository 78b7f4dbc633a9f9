// Package lang identifies the language of a short social post as "en",
// "ko" or "other", or "" when the text has no letters at all.
//
// The rule, in order:
//
//  1. Words are runs of letters (and digits, marks, apostrophes). A word's
//     script is Hangul if it has any Hangul (syllables or jamo, so ㅋㅋ and
//     ㅠㅠ are Korean, and so is Acme의: the particle is Korean grammar),
//     else the script of most of its letters: Latin or other (Han, kana,
//     Cyrillic, Arabic, ...). Digit-only words, @handles, #hashtags and
//     links do not count.
//  2. No letter words: "".
//  3. Korean when Hangul words are at least as many as Latin words and
//     outnumber other-script words. Korean tech talk embeds English nouns
//     ("아크미 배터리 진짜 good" is Korean), while an English sentence that
//     names a Korean brand ("I love 삼성 phones") is English: the script
//     that carries most words carries the sentence.
//  4. Otherwise, if Latin words are the majority script, English unless
//     the words look like another Latin-script language: English function
//     words are counted against French, Spanish, German, Italian,
//     Portuguese and Dutch ones, and letters with diacritics (é, ñ, ü, ß)
//     count against English. A Latin text with no evidence either way
//     ("Acme X200 battery") is English, the language of most unlabelled
//     short Latin posts such a daemon sees.
//  5. Everything else is "other".
//
// Detect allocates nothing for ASCII and Hangul input and looks at most at
// the first maxWords words, so its cost is bounded for 100 KB posts.
package lang
