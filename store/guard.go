package store

import (
	"errors"
	"fmt"
	"runtime/debug"
)

// guard turns a panic in a store operation into an error in *err: bbolt
// panics on some damaged pages (and faults reading through a bad page
// pointer), bleve on some write failures. It also sets the goroutine's
// panic-on-fault for the duration, so a fault on a bad memory-mapped
// address becomes such a panic instead of killing the process. Use as
//
//	defer guard("op", &err)()
//
// A SIGBUS from reading past the end of a truncated file cannot be
// recovered this way; checkDBFile prevents that one before mapping.
func guard(op string, err *error) func() {
	old := debug.SetPanicOnFault(true)
	return func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			*err = panicError(op, r)
		}
	}
}

// errPanic is wrapped by errors made from a recovered panic.
var errPanic = errors.New("internal failure")

// panicError describes a recovered panic: in bbolt code it means a damaged
// page, so it carries the advice for damaged files.
func panicError(op string, r any) error {
	return fmt.Errorf("store: %s: %w (%v): %w: the database may be damaged; %s", op, errPanic, r, ErrDamaged, damagedAdvice)
}
