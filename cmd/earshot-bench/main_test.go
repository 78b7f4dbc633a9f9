package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRunDispatches(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		code    int
		stderr  string
		comment string
	}{
		{nil, 2, "commands:", "no command: usage"},
		{[]string{"eval-sentiment"}, 2, "sentiment", "unknown command: usage lists the real ones"},
		{[]string{"soak", "-n", "10"}, 1, "-n 100..20000000", "soak bounds"},
		{[]string{"loadtest", "-clients", "0"}, 1, "-clients 1..256", "loadtest bounds"},
		{[]string{"soak", "-nope"}, 2, "flag provided but not defined", "bad flag"},
		{[]string{"sentiment", "-data", t.TempDir()}, 1, "tweets_groundtruth", "sentiment without data"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), tc.args, &out, &errb); code != tc.code || !strings.Contains(errb.String(), tc.stderr) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", tc.comment, code, errb.String(), tc.code, tc.stderr)
		}
	}
}
