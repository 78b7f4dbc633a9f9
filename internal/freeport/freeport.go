package freeport

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
)

// floor is the lowest port handed out: well above the registered ports
// most local services use.
const floor = 10000

// rangeFile holds the kernel's ephemeral port range ("32768\t60999").
const rangeFile = "/proc/sys/net/ipv4/ip_local_port_range"

var (
	mu     sync.Mutex
	handed = map[int]bool{}
)

// Loopback returns n distinct ports on 127.0.0.1 that were free a moment
// ago, below the kernel's ephemeral range, none handed out before by this
// process. Where the range cannot be read or leaves no room below it, the
// ports come from the kernel (":0") as a fallback.
func Loopback(n int) ([]int, error) {
	lo, hi := window()
	mu.Lock()
	defer mu.Unlock()
	if hi-lo < 100*n {
		return fromKernel(n)
	}
	return pick(lo, hi, n)
}

// pick draws n free ports at random from [lo, hi); mu is held.
func pick(lo, hi, n int) ([]int, error) {
	out := make([]int, 0, n)
	for tries := 0; len(out) < n; tries++ {
		if tries > 1000*n {
			return nil, fmt.Errorf("freeport: no free port in %d-%d after %d tries", lo, hi, tries)
		}
		p := lo + rand.IntN(hi-lo)
		if handed[p] {
			continue
		}
		if !bindable(p) {
			continue
		}
		handed[p] = true
		out = append(out, p)
	}
	return out, nil
}

// bindable reports whether nobody listens on 127.0.0.1:p.
func bindable(p int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// window is [floor, start of the ephemeral range), or an empty window
// when the range is unknown.
func window() (lo, hi int) {
	b, err := os.ReadFile(rangeFile)
	if err != nil {
		return 0, 0
	}
	start, err := parseRangeStart(string(b))
	if err != nil || start <= floor {
		return 0, 0
	}
	return floor, start
}

func parseRangeStart(s string) (int, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return 0, errors.New("freeport: want two ports in " + rangeFile)
	}
	return strconv.Atoi(f[0])
}

// fromKernel holds n ":0" listeners open together (so they differ) and
// frees them.
func fromKernel(n int) ([]int, error) {
	out := make([]int, 0, n)
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("freeport: %w", err)
		}
		ls = append(ls, l)
		p := l.Addr().(*net.TCPAddr).Port
		handed[p] = true
		out = append(out, p)
	}
	return out, nil
}
