package config

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// setRow changes the networks table's row of name for the test.
func setRow(t *testing.T, name string, change func(*Network)) {
	t.Helper()
	i := slices.IndexFunc(networkTable, func(n Network) bool { return n.Name == name })
	if i < 0 {
		t.Fatalf("no row %q", name)
	}
	saved := networkTable[i]
	if saved.Budget != nil {
		b := *saved.Budget
		networkTable[i].Budget = &b
	}
	change(&networkTable[i])
	t.Cleanup(func() { networkTable[i] = saved })
}

func parseSource(src string) (*Config, error) {
	env := func(string) string { return "secret" }
	return Parse([]byte(ownBrand+"[[source]]\n"+src), "t.toml", env)
}

// Validation reads floors, default intervals and budgets from the networks
// table: changing a row changes what Load accepts and fills in.
func TestValidationDerivesFromTable(t *testing.T) {
	const naver = "network = \"naver\"\nclient_id_env = \"I\"\nclient_secret_env = \"S\"\n"
	if _, err := parseSource(naver + "every = \"2m30s\"\n"); err != nil {
		t.Fatalf("naver every 2m30s refused with the table's 2m floor: %v", err)
	}
	t.Run("floor", func(t *testing.T) {
		setRow(t, NetworkNaver, func(n *Network) { n.Floor = 3 * time.Minute })
		_, err := parseSource(naver + "every = \"2m30s\"\n")
		if err == nil || !strings.Contains(err.Error(), "under the floor of 3m for naver") {
			t.Errorf("with a 3m floor in the table, every 2m30s gives %v", err)
		}
	})
	t.Run("default interval", func(t *testing.T) {
		setRow(t, NetworkNaver, func(n *Network) { n.Every = 42 * time.Minute })
		c, err := parseSource(naver)
		if err != nil || c.Sources[0].Every.Std() != 42*time.Minute {
			t.Errorf("with every 42m in the table: %v, %+v", err, c)
		}
	})
	t.Run("budget", func(t *testing.T) {
		setRow(t, NetworkNaver, func(n *Network) { n.Budget.Default, n.Budget.Max = 700, 800 })
		c, err := parseSource(naver)
		if err != nil || c.Sources[0].DailyBudget != 700 {
			t.Errorf("with a default budget of 700 in the table: %v, %+v", err, c)
		}
		if _, err := parseSource(naver + "daily_budget = 801\n"); err == nil || !strings.Contains(err.Error(), "from 1 to 800 calls") {
			t.Errorf("daily_budget 801 over the table's 800 gives %v", err)
		}
	})
	t.Run("keys", func(t *testing.T) {
		setRow(t, NetworkNaver, func(n *Network) {
			n.Keys = slices.DeleteFunc(slices.Clone(n.Keys), func(k string) bool { return k == "kinds" })
		})
		if _, err := parseSource(naver + "kinds = [\"blog\"]\n"); err == nil || !strings.Contains(err.Error(), `"kinds" does not apply to naver sources`) {
			t.Errorf("kinds without a row entry gives %v", err)
		}
	})
	if _, err := parseSource(naver + "every = \"2m30s\"\n"); err != nil {
		t.Fatalf("the row was not restored: %v", err)
	}
}

// The rows are whole: names unique, a label, a floor under the default,
// keys that are fields of Source, a budget exactly where daily_budget
// applies, an example and a fake.
func TestNetworkTableRows(t *testing.T) {
	fields := map[string]bool{}
	st := reflect.TypeFor[Source]()
	for i := range st.NumField() {
		if tag, _, _ := strings.Cut(st.Field(i).Tag.Get("toml"), ","); tag != "" && tag != "-" {
			fields[tag] = true
		}
	}
	seen := map[string]bool{}
	var volumes []int
	for _, n := range Networks() {
		if n.Volume != 0 {
			volumes = append(volumes, n.Volume)
		}
		switch {
		case n.Name == "" || seen[n.Name]:
			t.Errorf("row %+v: empty or repeated name", n)
		case n.Label == "" || n.Fake == "" || len(n.Example) == 0:
			t.Errorf("%s: label %q, fake %q, %d example lines", n.Name, n.Label, n.Fake, len(n.Example))
		case n.Floor <= 0 || n.Every < n.Floor:
			t.Errorf("%s: default every %v under floor %v", n.Name, n.Every, n.Floor)
		case (n.Budget != nil) != slices.Contains(n.Keys, "daily_budget"):
			t.Errorf("%s: budget %+v but keys %v", n.Name, n.Budget, n.Keys)
		case n.BaseURL != "" && !slices.Contains(n.Keys, "base_url"):
			t.Errorf("%s: default base_url %q for a network without the key", n.Name, n.BaseURL)
		}
		seen[n.Name] = true
		for _, k := range slices.Concat(n.Keys, n.Secrets, n.OptionalSecrets) {
			if !fields[k] {
				t.Errorf("%s: key %q is no field of Source", n.Name, k)
			}
		}
		for _, k := range slices.Concat(n.Secrets, n.OptionalSecrets) {
			if _, ok := secretKeys[k]; !ok {
				t.Errorf("%s: secret %q is not a *_env key", n.Name, k)
			}
		}
		for _, k := range n.Required {
			if !slices.Contains(n.Keys, k) {
				t.Errorf("%s: required key %q is not one of its keys", n.Name, k)
			}
		}
	}
	slices.Sort(volumes)
	for i, v := range volumes {
		if v != i+1 {
			t.Errorf("volume ranks %v, want 1..%d once each", volumes, len(volumes))
			break
		}
	}
}

// The required keys of the table (and so of docs/networks.md) are
// required: each network's example source without one of them is refused
// with an error that names the key.
func TestRequiredKeysAreRequired(t *testing.T) {
	for _, n := range Networks() {
		var body []string
		for _, l := range n.Example {
			if !strings.HasPrefix(l, "#") {
				body = append(body, l)
			}
		}
		src := "network = \"" + n.Name + "\"\n"
		if _, err := parseSource(src + strings.Join(body, "\n") + "\n"); err != nil {
			t.Errorf("%s: example source refused: %v", n.Name, err)
			continue
		}
		for _, k := range n.RequiredKeys() {
			kept := without(body, k)
			if len(kept) == len(body) {
				t.Errorf("%s: the example does not set required key %s", n.Name, k)
				continue
			}
			_, err := parseSource(src + strings.Join(kept, "\n") + "\n")
			if err == nil || !strings.Contains(err.Error(), k) {
				t.Errorf("%s without %s: %v, want an error naming it", n.Name, k, err)
			}
		}
	}
}

// without drops key's line from TOML lines, with the lines of a
// multi-line array.
func without(lines []string, key string) []string {
	var out []string
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], key+" ") {
			out = append(out, lines[i])
			continue
		}
		if strings.HasSuffix(strings.TrimSpace(lines[i]), "[") {
			for i < len(lines) && strings.TrimSpace(lines[i]) != "]" {
				i++
			}
		}
	}
	return out
}

func TestNetworkLabel(t *testing.T) {
	if got := NetworkLabel(NetworkHackerNews); got != "Hacker News" {
		t.Errorf("NetworkLabel(hackernews) = %q", got)
	}
	if got := NetworkLabel("myspace"); got != "myspace" {
		t.Errorf("an unknown network's label = %q, want its name", got)
	}
	setRow(t, NetworkX, func(n *Network) { n.Label = "X (Twitter)" })
	if got := NetworkLabel(NetworkX); got != "X (Twitter)" {
		t.Errorf("NetworkLabel(x) = %q after the table changed", got)
	}
}
