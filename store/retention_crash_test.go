package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

const (
	pruneChildEnv = "EARSHOT_STORE_PRUNE_CHILD"
	pruneCutEnv   = "EARSHOT_STORE_PRUNE_CUT"
	pruneMentions = 4000
)

// pruneChild prunes dir up to the cut-off in $EARSHOT_STORE_PRUNE_CUT in
// small transactions, saying START before and DONE after, until killed.
func pruneChild(dir string) int {
	cut, err := strconv.ParseInt(os.Getenv(pruneCutEnv), 10, 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child cut:", err)
		return 2
	}
	pruneBatch = 25
	s, err := Open(dir, Options{Logger: zerolog.Nop(), LockTimeout: 10 * time.Second, BatchSize: 50})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		return 2
	}
	fmt.Println("START")
	res, err := s.Prune(context.Background(), time.Unix(0, cut))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child prune:", err)
		return 2
	}
	fmt.Printf("DONE %d\n", res.Mentions)
	_ = s.Close()
	return 0
}

// runPruneChild starts a pruning child and SIGKILLs it delay after START;
// killed is false when it finished first.
func runPruneChild(t *testing.T, dir string, cut time.Time, delay time.Duration) (killed bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), pruneChildEnv+"="+dir, pruneCutEnv+"="+strconv.FormatInt(cut.UnixNano(), 10))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	if !sc.Scan() || sc.Text() != "START" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("child did not start: %q", sc.Text())
	}
	done := make(chan bool, 1)
	go func() {
		finished := sc.Scan() && strings.HasPrefix(sc.Text(), "DONE")
		done <- finished
	}()
	select {
	case <-done:
		_ = cmd.Wait()
		return false
	case <-time.After(delay):
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	finished := <-done
	_ = cmd.Wait()
	return !finished
}

// TestPruneCrashSafety SIGKILLs prunes at random points: after each kill the
// reopened store must be consistent (bbolt buckets, counters, rollups equal
// to a rebuild, the index converged to bbolt) and hold a suffix of the log
// by published time; finishing the prune then removes the rest.
func TestPruneCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test spawns processes")
	}
	dir := t.TempDir()
	s := openT(t, dir)
	ms := make([]Mention, 0, pruneMentions)
	r := rand.New(rand.NewSource(3))
	for i := 0; i < pruneMentions; i++ {
		ms = append(ms, genMention(r, i)) // one a minute from t0
	}
	commitChunks(t, s, ms, 500)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	kills, partial := 0, 0
	left := pruneMentions
	for round, step := range []int{700, 600, 800, 500, 900} {
		cut := ms[pruneMentions-left+step].Published
		delay := time.Duration(5+r.Intn(60)) * time.Millisecond
		if runPruneChild(t, dir, cut, delay) {
			kills++
		}
		s := openT(t, dir)
		n := int(s.Stats().Mentions)
		if n > left || n < left-step {
			t.Fatalf("round %d: %d mentions after the kill, had %d, pruning %d", round, n, left, step)
		}
		// What is left is exactly the newest n mentions.
		if _, ok, _ := s.Get(ms[pruneMentions-n].ID); !ok {
			t.Fatalf("round %d: oldest kept mention %s missing", round, ms[pruneMentions-n].ID)
		}
		if n < pruneMentions {
			if _, ok, _ := s.Get(ms[pruneMentions-n-1].ID); ok {
				t.Fatalf("round %d: a gap: %s kept after newer ones were pruned", round, ms[pruneMentions-n-1].ID)
			}
		}
		if n < left && n > left-step {
			partial++ // killed between two of the prune's transactions
		}
		checkConsistent(t, s, n)
		res, err := s.Prune(context.Background(), cut)
		if err != nil {
			t.Fatal(err)
		}
		left -= step
		if res.Mentions != n-left {
			t.Fatalf("round %d: finishing pruned %d, want %d", round, res.Mentions, n-left)
		}
		checkConsistent(t, s, left)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if kills == 0 || partial == 0 {
		t.Fatalf("%d prunes killed, %d part-way: the test proved nothing", kills, partial)
	}
	t.Logf("%d of 5 prunes killed, %d after some but not all of their transactions", kills, partial)
}
