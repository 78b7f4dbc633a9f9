// Package registry turns configured sources into scheduler jobs: it is the
// one place where a network's package is wired to its config keys.
//
// Adding a network takes a package under listener/ that implements
// listener.Source, its rules in config/networks.go (keys, defaults, floor,
// secrets), and one builder here (a file per network, registered in the
// builders table). Nothing else in Earshot names networks.
//
// Every source of a network gets the brands' handles on that network as
// accounts to follow (their posts are stored as kind "owned"), the queries
// configured or else every brand term, and — where the network bills or
// limits per day — a daily budget kept in the store.
package registry
