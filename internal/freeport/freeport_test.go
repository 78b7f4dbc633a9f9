package freeport

import (
	"net"
	"strconv"
	"testing"
)

func TestLoopbackBelowEphemeralRange(t *testing.T) {
	lo, hi := window()
	if hi == 0 {
		t.Fatalf("cannot read %s on this machine", rangeFile)
	}
	seen := map[int]bool{}
	for range 20 {
		ps, err := Loopback(5)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 5 {
			t.Fatalf("%d ports, want 5", len(ps))
		}
		for _, p := range ps {
			if p < lo || p >= hi {
				t.Errorf("port %d outside [%d, %d): the kernel may hand it to another process", p, lo, hi)
			}
			if seen[p] {
				t.Errorf("port %d handed out twice", p)
			}
			seen[p] = true
		}
	}
}

func TestPickSkipsTakenPorts(t *testing.T) {
	lo, hi := window()
	if hi == 0 {
		t.Fatalf("cannot read %s on this machine", rangeFile)
	}
	// A window of 40 ports, all but the free ones held open by the test.
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var start int
	var free []int
	for start = lo; start+40 < hi; start += 40 {
		ls, free = ls[:0], nil
		for p := start; p < start+40; p++ {
			l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
			if err != nil {
				continue
			}
			if len(free) < 3 {
				l.Close()
				free = append(free, p)
				continue
			}
			ls = append(ls, l)
		}
		if len(free) == 3 && len(ls) > 30 {
			break
		}
		for _, l := range ls {
			l.Close()
		}
	}
	mu.Lock()
	got, err := pick(start, start+40, 3)
	mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]bool{free[0]: true, free[1]: true, free[2]: true}
	for _, p := range got {
		if !want[p] {
			t.Errorf("port %d is held open by this test, yet handed out (free: %v)", p, free)
		}
		delete(want, p)
	}
	// All three free ports are now handed out: a fourth draw finds none.
	mu.Lock()
	_, err = pick(start, start+40, 1)
	mu.Unlock()
	if err == nil {
		t.Error("pick handed out a port twice or a held port")
	}
}

func TestParseRangeStart(t *testing.T) {
	for in, want := range map[string]int{"32768\t60999\n": 32768, "1024 65535": 1024} {
		got, err := parseRangeStart(in)
		if err != nil || got != want {
			t.Errorf("parseRangeStart(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "32768", "a b"} {
		if _, err := parseRangeStart(in); err == nil {
			t.Errorf("parseRangeStart(%q): no error", in)
		}
	}
}
