// Package registry turns configured sources into scheduler jobs: it is the
// one place where a network's package is wired to its config keys.
//
// The networks themselves are the rows of config's networks table
// (config/networks.go: name, label, keys, default interval, floor, secrets,
// daily budget and its zone, fake). Here each row has one builder, keyed by
// the row's name in the builders table; a test fails when a row has no
// builder, a builder no row, or a row's fake package does not exist.
// Adding a network takes a package under listener/ that implements
// listener.Source (with its fake), its row in the networks table and one
// builder here (a file per network). Nothing else in Earshot names
// networks.
//
// Every source of a network gets the brands' handles on that network as
// accounts to follow (their posts are stored as kind "owned"), the queries
// configured or else every brand term, and — where the table gives the
// network a daily budget — a budget kept in the store whose day is in the
// table's zone.
package registry
