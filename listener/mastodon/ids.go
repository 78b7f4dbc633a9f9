package mastodon

import (
	"strconv"
	"strings"
	"time"
)

// maxIDLen bounds a status id: Mastodon ids are decimal int64 snowflakes
// (18–19 digits); anything much longer is not an id.
const maxIDLen = 30

// validID reports whether id is a non-empty decimal string of bounded length.
func validID(id string) bool {
	if id == "" || len(id) > maxIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return true
}

// normID strips leading zeros so that ids compare by length then bytes.
func normID(id string) string {
	t := strings.TrimLeft(id, "0")
	if t == "" && id != "" {
		return "0"
	}
	return t
}

// compareIDs compares two valid decimal ids numerically: -1, 0 or +1.
// Plain string comparison would put "99" after "100".
func compareIDs(a, b string) int {
	a, b = normID(a), normID(b)
	switch {
	case len(a) != len(b):
		if len(a) < len(b) {
			return -1
		}
		return 1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// snowflakeAt returns the smallest Mastodon snowflake id of a status
// created at t: milliseconds since the Unix epoch shifted left by 16 bits.
// Used as min_id it asks for statuses created after t.
func snowflakeAt(t time.Time) string {
	ms := t.UnixMilli()
	if ms < 0 {
		ms = 0
	}
	return strconv.FormatUint(uint64(ms)<<16, 10)
}
