// Package listenertest holds the test helpers the network packages share,
// so that each package's helpers_test.go keeps only what is its own:
//   - Budget, an in-memory listener.Budget that grants units up to Limit
//     and records every grant;
//   - Recorder, an http.Handler in front of a fake that keeps a copy of
//     every request and counts them by URL substrings;
//   - ByID, the posts of a fetch keyed by native id;
//   - ReadFile and Copy, to read a fake's embedded recordings or copy them
//     into a map a test may change before passing it as the fake's
//     Options.FS.
//
// It is imported by tests only; nothing in it talks to the network.
package listenertest
