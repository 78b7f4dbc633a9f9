package cluster

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/earshot/earshot/config"
)

// TestDocsConfigTable: docs/cluster.md's key table lists exactly the
// [cluster] keys, and its text names every node-local key.
func TestDocsConfigTable(t *testing.T) {
	b, err := os.ReadFile("../docs/cluster.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	_, sec, _ := strings.Cut(doc, "## Configuration")
	sec, _, _ = strings.Cut(sec, "\n## ")
	var documented []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\|").FindAllStringSubmatch(sec, -1) {
		documented = append(documented, m[1])
	}
	var keys []string
	ty := reflect.TypeFor[config.Cluster]()
	for i := range ty.NumField() {
		if tag := ty.Field(i).Tag.Get("toml"); tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	if !slices.Equal(documented, keys) {
		t.Errorf("docs/cluster.md documents %v, [cluster] has %v", documented, keys)
	}
	for _, k := range config.NodeLocalKeys {
		sect, key, _ := strings.Cut(k, ".")
		if !strings.Contains(sec, fmt.Sprintf("`[%s]`", sect)) || !strings.Contains(sec, "`"+key+"`") {
			t.Errorf("docs/cluster.md does not name node-local key %s", k)
		}
	}
}

// TestPackagingConfigsAgree: the three node configs of packaging/ load,
// hash the same, and route each node to the other two.
func TestPackagingConfigsAgree(t *testing.T) {
	env := func(k string) string {
		if k == "EARSHOT_API_TOKEN" {
			return "dGhpcyBpcyBhIHRlc3QgdG9rZW4gb2YgMzIgYnl0ZXMhIQ=="
		}
		return ""
	}
	var hashes, names []string
	for i := 1; i <= 3; i++ {
		c, err := config.Load(fmt.Sprintf("../packaging/cluster/node%d.toml", i), env)
		if err != nil {
			t.Fatal(err)
		}
		h, err := Hash(c)
		if err != nil {
			t.Fatal(err)
		}
		hashes, names = append(hashes, h), append(names, c.Cluster.NodeName)
		for j := 1; j <= 3; j++ {
			has := slices.Contains(c.Cluster.Routes, fmt.Sprintf("nats-route://node%d:6222", j))
			if has == (i == j) {
				t.Errorf("node%d routes %v", i, c.Cluster.Routes)
			}
		}
		if c.Cluster.Replicas != 3 {
			t.Errorf("node%d replicas %d", i, c.Cluster.Replicas)
		}
	}
	if hashes[0] != hashes[1] || hashes[1] != hashes[2] {
		t.Errorf("hashes differ: %v", hashes)
	}
	if !slices.Equal(names, []string{"node1", "node2", "node3"}) {
		t.Errorf("names %v", names)
	}
	compose, err := os.ReadFile("../packaging/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if !strings.Contains(string(compose), "./cluster/"+n+".toml") {
			t.Errorf("compose.yaml does not mount %s.toml", n)
		}
	}
}
