package daemon_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The daemon-level fault tests run the real earshot binary as a child
// process. It is built once per test binary with `go build`, without -race:
// a race-instrumented daemon is 5× slower to start and index, which would
// make 20+ kill/restart cycles too slow; the test process itself still runs
// under -race.
var (
	buildOnce sync.Once
	buildDir  string
	buildBin  string
	buildErr  error
)

// earshotBinary builds ../cmd/earshot (the daemon binary) once and returns
// its path. The directory is world-readable so that an unprivileged uid can run it.
func earshotBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		// go test puts its own GOROOT/bin first on PATH.
		goTool, err := exec.LookPath("go")
		if err != nil {
			buildErr = fmt.Errorf("the go tool is needed to build the daemon: %w", err)
			return
		}
		buildDir, buildErr = os.MkdirTemp("", "earshot-bin-")
		if buildErr != nil {
			return
		}
		if buildErr = os.Chmod(buildDir, 0o755); buildErr != nil {
			return
		}
		buildBin = filepath.Join(buildDir, "earshot")
		cmd := exec.Command(goTool, "build", "-o", buildBin, "../cmd/earshot")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatalf("building the earshot binary: %v", buildErr)
	}
	return buildBin
}

// child is one running `earshot` process. Its stderr (the log) is collected
// line by line; lines can be awaited.
type child struct {
	t    *testing.T
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited and its output is read

	mu    sync.Mutex
	lines []string
	cond  chan struct{} // closed and replaced on every new line and on exit
	state *os.ProcessState
	err   error
}

// childOpts tweak how a child is started.
type childOpts struct {
	// fsizeLimit, when > 0, starts the binary through the test binary's
	// wrapper (TestMain) which sets RLIMIT_FSIZE to it first.
	fsizeLimit int64
	// cred, when set, runs the child as another user.
	cred *syscall.Credential
}

// startChild runs earshot with args. The process is killed at the end of the
// test if it is still running.
func startChild(t *testing.T, opts childOpts, args ...string) *child {
	t.Helper()
	bin := earshotBinary(t)
	var cmd *exec.Cmd
	if opts.fsizeLimit > 0 {
		cmd = exec.Command(os.Args[0], append([]string{"-test.run=^$", "--", bin}, args...)...)
		cmd.Env = append(os.Environ(), fsizeEnv+"="+fmt.Sprint(opts.fsizeLimit))
	} else {
		cmd = exec.Command(bin, args...)
		cmd.Env = os.Environ()
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: opts.cred, Pdeathsig: syscall.SIGKILL}
	cmd.Stdout = io.Discard
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start earshot: %v", err)
	}
	c := &child{t: t, cmd: cmd, done: make(chan struct{}), cond: make(chan struct{})}
	go c.read(stderr)
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			_ = cmd.Process.Kill()
			<-c.done
		}
	})
	return c
}

func (c *child) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		c.mu.Lock()
		c.lines = append(c.lines, sc.Text())
		close(c.cond)
		c.cond = make(chan struct{})
		c.mu.Unlock()
	}
	_, _ = io.Copy(io.Discard, r)
	err := c.cmd.Wait()
	c.mu.Lock()
	c.state, c.err = c.cmd.ProcessState, err
	close(c.cond)
	c.cond = make(chan struct{})
	c.mu.Unlock()
	close(c.done)
}

// snapshot returns the log lines so far, whether the child has exited, and
// a channel closed on the next change.
func (c *child) snapshot() ([]string, bool, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lines, c.state != nil, c.cond
}

// waitFor waits until pred holds over the log lines, the child exits, or
// timeout passes. It returns whether pred held.
func (c *child) waitFor(timeout time.Duration, pred func(lines []string) bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		lines, exited, ch := c.snapshot()
		if pred(lines) {
			return true
		}
		if exited {
			return false
		}
		select {
		case <-ch:
		case <-deadline.C:
			return false
		}
	}
}

// count is the number of log lines containing s.
func count(lines []string, s string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

// log returns the whole log so far.
func (c *child) log() string {
	lines, _, _ := c.snapshot()
	return strings.Join(lines, "\n")
}

// kill SIGKILLs the child and waits for it.
func (c *child) kill() {
	c.t.Helper()
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	if !c.wait(10 * time.Second) {
		c.t.Fatalf("earshot did not die within 10 s of SIGKILL")
	}
}

// stop sends SIGTERM and requires a clean exit within timeout.
func (c *child) stop(timeout time.Duration) {
	c.t.Helper()
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	if !c.wait(timeout) {
		_ = c.cmd.Process.Kill()
		c.t.Fatalf("earshot did not stop within %s of SIGTERM; log:\n%s", timeout, tail(c.log(), 40))
	}
	if code := c.exitCode(); code != 0 {
		c.t.Fatalf("earshot exited %d after SIGTERM; log:\n%s", code, tail(c.log(), 40))
	}
}

// wait waits up to timeout for the child to exit.
func (c *child) wait(timeout time.Duration) bool {
	select {
	case <-c.done:
		return true
	case <-time.After(timeout):
		return false
	}
}

// exitCode is the exit status (-1 when killed by a signal or still running).
func (c *child) exitCode() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state == nil {
		return -1
	}
	return c.state.ExitCode()
}

var apiRe = regexp.MustCompile(`\bapi=(http://\S+)`)

// waitAPI waits for the "earshot running" line and returns the API address.
func (c *child) waitAPI(timeout time.Duration) string {
	c.t.Helper()
	var api string
	ok := c.waitFor(timeout, func(lines []string) bool {
		for _, l := range lines {
			if m := apiRe.FindStringSubmatch(l); m != nil && strings.Contains(l, "earshot running") {
				api = m[1]
				return true
			}
		}
		return false
	})
	if !ok {
		c.t.Fatalf("earshot did not start serving within %s (exit %d); log:\n%s", timeout, c.exitCode(), headTail(c.log(), 15, 25))
	}
	return api
}

// assertNoPanic fails when the log shows a Go panic or fatal runtime error.
func assertNoPanic(t *testing.T, log string) {
	t.Helper()
	for _, bad := range []string{"panic:", "fatal error:", "goroutine 1 [", "SIGSEGV"} {
		if strings.Contains(log, bad) {
			t.Fatalf("earshot log shows %q:\n%s", bad, tail(log, 60))
		}
	}
}

// headTail keeps the first h and last n lines (a panic's message is at the
// head of a long trace).
func headTail(s string, h, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= h+n {
		return s
	}
	return strings.Join(lines[:h], "\n") + "\n…\n" + strings.Join(lines[len(lines)-n:], "\n")
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// writeConfig writes an earshot config for dataDir with one hackernews
// source per fake stream and returns its path.
func writeConfig(t *testing.T, dir, dataDir string, streams []*hnStream) string {
	t.Helper()
	var b bytes.Buffer
	fmt.Fprintf(&b, `[earshot]
data_dir = %q
listen = "127.0.0.1:0"
log_level = "debug"
log_format = "console" # the tests read the log's key=value lines
contact = "https://example.org/earshot-crash-test"

[[brand]]
name = "Acme"
own = true
terms = ["아크미"]
exclude = ["acme road runner"]

[[brand]]
name = "Globex"
terms = ["글로벡스"]

[[topic]]
name = "battery"
query = 'battery OR 배터리'
`, dataDir)
	for i, s := range streams {
		fmt.Fprintf(&b, `
[[source]]
network = "hackernews"
name = %q
every = "1h"
timeout = "1m"
lookback = "100h"
base_url = %q
queries = ["acme"]
`, hnSourceName(i), s.srv.URL)
	}
	path := filepath.Join(dir, "earshot.toml")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func hnSourceName(i int) string { return fmt.Sprintf("hn-%02d", i) }
