// Package fstest gives tests a real filesystem that fills up: a small
// tmpfs (MountSmall) and a way to take it to a chosen number of free bytes
// (FillLeaving). The store's and the daemon's disk-full tests share it; it
// imports nothing of Earshot so package store's own tests can use it.
package fstest
