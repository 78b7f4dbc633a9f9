package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"
	bolt "go.etcd.io/bbolt"
)

const (
	crashChildEnv  = "EARSHOT_STORE_CRASH_CHILD"
	crashPerBatch  = 20
	crashSource    = "crash-src"
	crashMaxBatchs = 100000
)

// crashMention is mention i of batch b; every batch carries a unique word
// zq<b> so the index can be sampled per batch.
func crashMention(b, i int) Mention {
	return Mention{
		ID: fmt.Sprintf("crash:%d:%d", b, i), Network: "rss", Source: crashSource,
		NativeID: fmt.Sprintf("%d-%d", b, i), URL: fmt.Sprintf("https://example.com/%d/%d", b, i),
		Text: fmt.Sprintf("zq%d Acme battery report %d, 삼성은 좋다", b, i),
		Kind: KindMention, Brands: []string{"Acme"},
		Published: t0.Add(time.Duration(b*crashPerBatch+i) * time.Second),
	}
}

// crashChild ingests batches from the saved cursor on, printing "ACK n" after
// each Commit returned, until it is killed.
func crashChild(dir string) int {
	s, err := Open(dir, Options{Logger: zerolog.Nop(), LockTimeout: 10 * time.Second, BatchSize: 50})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		return 2
	}
	c, err := s.Cursor(crashSource)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child cursor:", err)
		return 2
	}
	next := 1
	if c != nil {
		n, err := strconv.Atoi(string(c))
		if err != nil {
			fmt.Fprintln(os.Stderr, "child cursor:", err)
			return 2
		}
		next = n + 1
	}
	for b := next; b < crashMaxBatchs; b++ {
		ms := make([]Mention, 0, crashPerBatch+1)
		for i := 0; i < crashPerBatch; i++ {
			ms = append(ms, crashMention(b, i))
		}
		if b > 1 {
			ms = append(ms, crashMention(b-1, 0)) // a re-fetched post: must dedup
		}
		if _, err := s.Commit(crashSource, ms, []byte(strconv.Itoa(b))); err != nil {
			fmt.Fprintln(os.Stderr, "child commit:", err)
			return 2
		}
		fmt.Fprintf(os.Stdout, "ACK %d\n", b)
	}
	return 0
}

// runCrashChild starts a child, waits for acks ACKs, sleeps a little and
// SIGKILLs it. It returns the last acknowledged batch.
func runCrashChild(t *testing.T, dir string, acks int, delay time.Duration) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	last, seen := 0, 0
	sc := bufio.NewScanner(out)
	killed := false
	for sc.Scan() {
		var n int
		if _, err := fmt.Sscanf(sc.Text(), "ACK %d", &n); err != nil {
			t.Fatalf("child said %q", sc.Text())
		}
		last = n
		seen++
		if seen == acks && !killed {
			time.Sleep(delay)
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	_ = cmd.Wait()
	if !killed {
		t.Fatalf("child exited before %d acks (saw %d)", acks, seen)
	}
	return last
}

func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test spawns processes")
	}
	dir := t.TempDir()
	r := rand.New(rand.NewSource(1))
	acked := 0
	for round, acks := range []int{1, 4, 9, 17, 30} {
		delay := time.Duration(r.Intn(15)) * time.Millisecond
		last := runCrashChild(t, dir, acks, delay)
		if last <= acked {
			t.Fatalf("round %d: child acked up to %d, already had %d", round, last, acked)
		}
		acked = last
		verifyCrashStore(t, dir, acked, r)
	}
}

// verifyCrashStore reopens the store after a kill and checks it.
func verifyCrashStore(t *testing.T, dir string, acked int, r *rand.Rand) {
	t.Helper()
	s, err := Open(dir, testOpts())
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer func() {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}()
	c, err := s.Cursor(crashSource)
	if err != nil {
		t.Fatal(err)
	}
	cur, err := strconv.Atoi(string(c))
	if err != nil {
		t.Fatalf("cursor %q: %v", c, err)
	}
	// The batch in flight when killed may or may not have landed, whole.
	if cur < acked || cur > acked+1 {
		t.Fatalf("cursor %d, last acked %d", cur, acked)
	}
	for b := 1; b <= cur; b++ {
		for i := 0; i < crashPerBatch; i++ {
			if _, ok, err := s.Get(crashMention(b, i).ID); !ok || err != nil {
				t.Fatalf("batch %d mention %d missing (err %v)", b, i, err)
			}
		}
	}
	if _, ok, _ := s.Get(crashMention(cur+1, 0).ID); ok {
		t.Fatalf("batch %d stored without its cursor", cur+1)
	}
	want := uint64(cur * crashPerBatch)
	var logN, idN int
	err = s.db.View(func(tx *bolt.Tx) error {
		logN = tx.Bucket(bucketMentions).Stats().KeyN
		idN = tx.Bucket(bucketByID).Stats().KeyN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Mentions != want || uint64(logN) != want || uint64(idN) != want {
		t.Fatalf("counts: stats %d, log %d, byid %d, want %d (duplicates or losses)", st.Mentions, logN, idN, want)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if res := find(t, s, SearchRequest{}); res.Total != want {
		t.Fatalf("index holds %d docs, bbolt %d", res.Total, want)
	}
	for k := 0; k < 5; k++ {
		b := 1 + r.Intn(cur)
		res := find(t, s, SearchRequest{Query: term(fmt.Sprintf("zq%d", b))})
		if res.Total != crashPerBatch {
			t.Fatalf("zq%d: %d hits, want %d", b, res.Total, crashPerBatch)
		}
	}
	if res := find(t, s, SearchRequest{Query: term("삼성")}); res.Total != want {
		t.Fatalf("삼성: %d hits, want %d", res.Total, want)
	}
}
