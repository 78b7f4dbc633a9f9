// Package freeport hands out loopback TCP ports for servers that must be
// told their port before they start (embedded NATS servers routed to each
// other, a daemon's listen address in a config file, mailpit).
//
// A port taken from net.Listen("127.0.0.1:0") and closed again comes from
// the kernel's ephemeral range, the same range every other process on the
// machine draws its own ":0" listeners and outgoing connections from: on a
// busy machine (CI runs every package's tests at once) another process
// takes it before the server binds it. Loopback returns ports below the
// ephemeral range instead, which the kernel never hands out by itself, so
// only a process binding that very port explicitly can take it. Each port
// is checked free by listening on it, and a port is handed out at most
// once per process.
package freeport
