// Package demo runs Earshot offline: a loopback replay of recorded network
// responses (Hacker News and feeds through listener/replay, every other
// network through its fake) and a daemon on a built-in config that polls
// it (own brand Acme/아크미 against Globex/글로벡스 and Initech/이니텍).
//
// Run is `earshot demo`; Setup and WaitFirstRound let tests drive the same
// daemon in-process. The demo never reaches the internet, and its
// credentials (demoSecrets) are the fakes' own, resolved before the real
// environment.
package demo
