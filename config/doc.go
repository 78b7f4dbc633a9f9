// Package config loads and validates Earshot's TOML configuration.
//
// Contract:
//
//   - Load and Parse return a *Config only when every check passed: the
//     returned value has all defaults filled in (data_dir, listen, timezone,
//     log_level, source names, intervals, timeouts, base URLs, tags), its
//     time zone resolved into Earshot.Location, its API token read from the
//     environment variable named by api_token_env into Earshot.APIToken, and
//     every topic's query parsed into Topic.Parsed. Hacker News source queries
//     are left empty when unset: the listener derives them from brand terms
//     and handles.
//   - On invalid content the error is Errors, listing every problem found
//     (not just the first), sorted by position, each an *Error with the file,
//     1-based line and byte column, the key path ("source[1].every", array
//     indexes 0-based) and a message. Errors prints one line per problem as
//     "file:line:col: key: message". A TOML syntax error stops at that error.
//   - Unknown keys and wrong types are errors anywhere. Keys that would hold
//     a secret inline (*_token, *_secret, password, ...) are refused with a
//     hint to name an environment variable (*_env) instead.
//   - Exactly one brand has own = true; brand names and topic names are
//     unique, and a term identifies one brand only, compared after NFKC and
//     Unicode case folding ("ＡＣＭＥ" equals "acme").
//   - Sources can be configured only for the networks this build polls:
//     the rows of the networks table (networks.go, exported by Networks),
//     which also holds each network's keys, default interval, floor,
//     secrets and daily budget; a key that does not apply to a source's network
//     is an error; intervals below a network's floor are refused.
//   - The package never panics on hostile input, reads no file other than
//     the one given to Load, and reads the environment only through the
//     getenv function it is passed.
//
// Decoding runs in passes: go-toml parses the document into a generic tree
// (syntax and TOML-level errors); the go-toml unstable parser indexes where
// each key path was written; a small reflective decoder copies the tree into
// the typed structs following their toml tags, collecting every unknown key
// and type mismatch (go-toml's strict mode stops at the first type error);
// then the validators check semantics and fill defaults.
package config
