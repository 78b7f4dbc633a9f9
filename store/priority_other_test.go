//go:build !linux

package store

import "errors"

func threadID() int { return 0 }

func niceOf(int) (int, error) { return 0, errors.New("no per-thread priorities") }

func mayLowerNice(int) bool { return false }
