// Package sentiment gives a mention a language, a sentiment score in
// [-1, 1] and a label (positive, neutral, negative), for English and
// Korean.
//
// English is scored by a port of VADER (Hutto & Gilbert, ICWSM 2014; rules
// of upstream vaderSentiment 3.3.2) over the current upstream lexicons
// (data/, MIT, with the 2020 heart/hearts entries): negation, boosters and
// dampeners, "but", ALL CAPS, ! and ? emphasis, emoji through their
// descriptions, emoticons, idioms and "least". Differences from upstream,
// each a fix: multi-code-point emoji (❤️) are matched and skin-tone or
// variation selectors no longer hide the description from the lexicon;
// "but" weights by position (upstream's list.index misplaces repeated
// values); multi-word lexicon entries ("can't stand") and overrides
// ("killer feature") are matched as phrases.
//
// Korean is scored by a logistic regression over hashed character 1-3
// grams, words, particle-stripped words, intensifier-stripped words (개꿀잼 →
// 꿀잼) and word pairs, trained on NSMC-style movie reviews (data/ko.model,
// CC0; see package train and scripts/train-ko-sentiment). Its P(positive)
// maps to Score = 2P-1; |Score| < KoreanNeutral is neutral.
//
// Brand awareness: the terms of the brands a mention matched are masked
// before scoring (a brand called "Joy" or "Sick Games" carries no
// sentiment; Korean terms are masked with their particles). Overrides add
// or replace lexicon entries for everyone or for named brands only; in
// Korean text, a Korean override term adds Score*0.75 to the model's
// log-odds.
//
// An Analyzer is built once (New loads everything in well under 300 ms)
// and is safe for concurrent use.
package sentiment
