// Package numfmt writes figures for people. It is the one rule for
// rounding, thousands separators and signs that the report, the digest, the
// web UI and the generated docs tables share, so a figure reads the same
// wherever it is shown.
//
// Contract: rounding is half away from zero and never yields "-0"; a sign
// is written only for a value that is not zero once rounded; counts group
// thousands with commas ("12,345", "-1,000"). Functions are pure.
package numfmt
