// Package htmltext turns the HTML fragments networks send (Hacker News
// comment_text, feed descriptions, Mastodon content) into plain text.
//
// Contract: ToText never panics and always returns valid UTF-8. Entities are
// decoded; block elements (p, br, div, li, headings, blockquote, tr, pre)
// become line breaks; text inside <pre> keeps its own spacing and line
// breaks; <script>, <style>, <template>, <noscript>, <head> and <span
// class="invisible"> content is dropped; links keep their text; <object> is
// transparent (its fallback text is text, so an unclosed <object> hides
// nothing). Elsewhere runs
// of spaces collapse to one, lines are trimmed and at most one blank line
// separates paragraphs. Work is bounded: input beyond MaxInput bytes is
// ignored, so a hostile fragment costs at most linear time in MaxInput.
// Links returns the fragment's http(s) link targets, made absolute against
// a base URL (relative links resolved).
package htmltext
