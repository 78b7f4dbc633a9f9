package daemon_test

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"syscall"
	"testing"
)

// fsizeEnv asks the test binary to act as a wrapper: set RLIMIT_FSIZE to the
// value, then exec the command after "--". Used to simulate a full disk for
// the earshot child (see TestDaemonDiskFull); no production code is involved.
const fsizeEnv = "EARSHOT_TEST_FSIZE_WRAPPER"

func TestMain(m *testing.M) {
	if v := os.Getenv(fsizeEnv); v != "" {
		os.Exit(execWithFsizeLimit(v))
	}
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

func execWithFsizeLimit(v string) int {
	limit, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fsize wrapper: bad limit %q: %v\n", v, err)
		return 3
	}
	i := slices.Index(os.Args, "--")
	if i < 0 || i+1 >= len(os.Args) {
		fmt.Fprintln(os.Stderr, "fsize wrapper: no command after --")
		return 3
	}
	argv := os.Args[i+1:]
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
		fmt.Fprintf(os.Stderr, "fsize wrapper: setrlimit: %v\n", err)
		return 3
	}
	env := slices.DeleteFunc(os.Environ(), func(e string) bool { return len(e) > len(fsizeEnv) && e[:len(fsizeEnv)+1] == fsizeEnv+"=" })
	err = syscall.Exec(argv[0], argv, env)
	fmt.Fprintf(os.Stderr, "fsize wrapper: exec %s: %v\n", argv[0], err)
	return 3
}
