package config

import (
	"strings"
	"testing"
	"time"
)

func TestRetention(t *testing.T) {
	for _, tc := range []struct {
		val  string
		want time.Duration
	}{{"", 0}, {`"400d"`, 400 * 24 * time.Hour}, {`"1d"`, 24 * time.Hour}, {`"36h"`, 36 * time.Hour}} {
		doc := ownBrand
		if tc.val != "" {
			doc = "[earshot]\nretention = " + tc.val + "\n" + ownBrand
		}
		c, err := Parse([]byte(doc), "t.toml", noEnv)
		if err != nil {
			t.Fatalf("retention %s: %v", tc.val, err)
		}
		if got := c.Earshot.Retention.Std(); got != tc.want {
			t.Errorf("retention %s = %s, want %s", tc.val, got, tc.want)
		}
	}
	for _, bad := range []string{`"23h"`, `"-5d"`, `"1s"`, `"soon"`, `400`} {
		es := parseErrs(t, "[earshot]\nretention = "+bad+"\n"+ownBrand, noEnv)
		if len(es) != 1 || es[0].Key != "earshot.retention" {
			t.Errorf("retention = %s: errors %v, want one on earshot.retention", bad, es)
		}
		if bad == `"23h"` && !strings.Contains(es[0].Error(), "minimum of 1d") {
			t.Errorf("retention = 23h: %v", es[0])
		}
	}
}
