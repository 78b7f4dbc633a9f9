//go:build !linux

package store

import "errors"

// errNoThreadPriority is the error of systems without per-thread nice
// values.
var errNoThreadPriority = errors.New("per-thread priorities are not supported on this system")

// osThreadPriority: elsewhere nice values are per process, so searches run
// at the process's priority.
type osThreadPriority struct{}

func (osThreadPriority) get() (int, error) { return 0, errNoThreadPriority }
func (osThreadPriority) set(int) error     { return errNoThreadPriority }
