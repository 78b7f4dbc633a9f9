package config

import (
	"fmt"
	"strings"
)

// secretWords end key names that would hold a credential ("api_token",
// "client-secret", "password"). Such keys are never accepted inline; the file
// names an environment variable instead ("api_token_env").
var secretWords = map[string]bool{
	"token": true, "secret": true, "password": true, "passwd": true,
	"apikey": true, "credentials": true, "api_key": true, "access_key": true,
	"private_key": true, "secret_key": true,
}

// isSecretKey reports whether k looks like an inline credential.
func isSecretKey(k string) bool {
	parts := strings.Split(strings.ReplaceAll(strings.ToLower(k), "-", "_"), "_")
	last := parts[len(parts)-1]
	if secretWords[last] {
		return true
	}
	return len(parts) >= 2 && secretWords[parts[len(parts)-2]+"_"+last]
}

// unknownKeyMsg explains an unknown key, suggesting the *_env form for
// secrets and the closest known key for typos.
func unknownKeyMsg(k string, known []string) string {
	if isSecretKey(k) {
		return fmt.Sprintf("unknown key %q: secrets are never allowed in the file; "+
			"put the value in an environment variable and name it with %q", k, secretEnvKey(k))
	}
	msg := fmt.Sprintf("unknown key %q", k)
	if s := closest(k, known); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg
}

// secretEnvKey turns "api_token" into "api_token_env".
func secretEnvKey(k string) string {
	return strings.ReplaceAll(strings.ToLower(k), "-", "_") + "_env"
}

// closest returns the known key nearest to k by edit distance, if near enough.
func closest(k string, known []string) string {
	best, bestD := "", 3
	lk := strings.ToLower(k)
	for _, c := range known {
		if d := editDistance(lk, c, bestD); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, or max when it is
// at least max (long hostile keys are cut short).
func editDistance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= max || -d >= max {
		return max
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	if prev[len(rb)] > max {
		return max
	}
	return prev[len(rb)]
}
