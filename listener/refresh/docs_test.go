package refresh

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// section returns the lines between <!-- name:begin --> and <!-- name:end -->.
func section(t *testing.T, file, name string) []string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, "<!-- "+name+":begin -->"), strings.Index(s, "<!-- "+name+":end -->")
	if i < 0 || j < i {
		t.Fatalf("%s: no %s section", file, name)
	}
	return strings.Split(strings.TrimSpace(s[i+len(name)+15:j]), "\n")
}

// docs/report.md prints store.RefreshAges.
func TestRefreshAgesDocumented(t *testing.T) {
	rows := section(t, "../../docs/report.md", "refresh-ages")
	if len(rows) != 3 {
		t.Fatalf("refresh-ages table: %q", rows)
	}
	var want []string
	for _, a := range store.RefreshAges {
		if a%(24*time.Hour) == 0 && a >= 7*24*time.Hour {
			want = append(want, strconv.Itoa(int(a/(24*time.Hour)))+"d")
		} else {
			want = append(want, strconv.Itoa(int(a/time.Hour))+"h")
		}
	}
	got := strings.Fields(strings.NewReplacer("|", " ", "age", "").Replace(rows[2]))
	if !slices.Equal(got, want) {
		t.Errorf("docs/report.md ages %v, code %v", got, want)
	}
}

// docs/networks.md lists exactly the networks with a lookup and their
// batch sizes.
func TestLookupTableDocumented(t *testing.T) {
	rows := section(t, "../../docs/networks.md", "refresh-table")
	re := regexp.MustCompile("^\\| `([a-z]+)` \\|[^|]+\\| (\\d+)")
	doc := map[string]int{}
	for _, r := range rows[2:] {
		m := re.FindStringSubmatch(r)
		if m == nil {
			t.Fatalf("unreadable row %q", r)
		}
		doc[m[1]], _ = strconv.Atoi(m[2])
	}
	if len(doc) != len(networkCases) {
		t.Errorf("docs list %d networks, code has %d lookups", len(doc), len(networkCases))
	}
	for _, c := range networkCases {
		src := c.build(t, time.Now)
		if doc[c.name] != src.LookupBatch() {
			t.Errorf("%s: docs say %d ids per call, LookupBatch is %d", c.name, doc[c.name], src.LookupBatch())
		}
	}
}

// The networks that give counts (the networks table's engagement classes)
// are exactly the networks with a lookup: whatever has counts is refreshed.
func TestEveryNetworkWithCountsHasALookup(t *testing.T) {
	var counts, lookups []string
	for _, n := range config.Networks() {
		if len(n.Engagement) > 0 {
			counts = append(counts, n.Name)
		}
	}
	for _, c := range networkCases {
		lookups = append(lookups, c.name)
	}
	slices.Sort(counts)
	slices.Sort(lookups)
	if !slices.Equal(counts, lookups) {
		t.Errorf("networks with counts %v, with a lookup %v", counts, lookups)
	}
}
