package store

import "golang.org/x/sys/unix"

// osThreadPriority is the calling thread's nice value (Linux: nice values
// are per thread, PRIO_PROCESS with the thread's ID).
type osThreadPriority struct{}

func (osThreadPriority) get() (int, error) {
	raw, err := unix.Getpriority(unix.PRIO_PROCESS, unix.Gettid())
	if err != nil {
		return 0, err
	}
	return 20 - raw, nil // the system call returns 20 − nice
}

func (osThreadPriority) set(nice int) error {
	return unix.Setpriority(unix.PRIO_PROCESS, unix.Gettid(), nice)
}
