package daemon

import "testing"

func TestProcsFor(t *testing.T) {
	for _, c := range []struct{ cpus, want int }{{0, 4}, {1, 4}, {2, 8}, {16, 64}} {
		if got := procsFor(c.cpus); got != c.want {
			t.Errorf("procsFor(%d) = %d, want %d", c.cpus, got, c.want)
		}
	}
}
