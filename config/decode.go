package config

import (
	"encoding"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// decoder copies a generic TOML document (as go-toml decodes it into
// map[string]any) into typed structs, following their `toml` tags. Unlike a
// strict toml.Unmarshal, which stops at the first type mismatch, it records
// every unknown key and every wrong type and carries on, so that one run
// reports all problems.
type decoder struct {
	c *collector
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// decode stores v into rv (addressable), reporting problems under path.
func (d *decoder) decode(path string, v any, rv reflect.Value) {
	if rv.CanAddr() && rv.Addr().Type().Implements(textUnmarshaler) {
		isDur := rv.Type() == reflect.TypeFor[Duration]()
		s, ok := v.(string)
		switch {
		case !ok && isDur:
			d.c.fail(path, "expected a duration string such as \"90s\", \"5m\" or \"1h\", got %s", describe(v))
		case !ok:
			d.c.fail(path, "expected a string, got %s", describe(v))
		default:
			err := rv.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s))
			if err != nil && isDur {
				d.c.fail(path, "invalid duration %q: want a number and a unit such as \"90s\", \"5m\" or \"1h\"", truncate(s, 40))
			} else if err != nil {
				d.c.fail(path, "invalid value %q: %v", truncate(s, 40), err)
			}
		}
		return
	}
	switch rv.Kind() {
	case reflect.Struct:
		d.table(path, v, rv)
	case reflect.Slice:
		d.array(path, v, rv)
	case reflect.Map:
		d.mapping(path, v, rv)
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			d.c.fail(path, "expected a string, got %s", describe(v))
			return
		}
		rv.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			d.c.fail(path, "expected true or false, got %s", describe(v))
			return
		}
		rv.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, ok := v.(int64)
		if !ok {
			d.c.fail(path, "expected a whole number, got %s", describe(v))
			return
		}
		if rv.OverflowInt(n) {
			d.c.fail(path, "number %d is out of range", n)
			return
		}
		rv.SetInt(n)
	case reflect.Float64:
		switch n := v.(type) {
		case float64:
			rv.SetFloat(n)
		case int64:
			rv.SetFloat(float64(n))
		default:
			d.c.fail(path, "expected a number, got %s", describe(v))
		}
	case reflect.Pointer:
		p := reflect.New(rv.Type().Elem())
		d.decode(path, v, p.Elem())
		rv.Set(p)
	default:
		d.c.fail(path, "internal error: cannot decode into %s", rv.Type())
	}
}

func (d *decoder) table(path string, v any, rv reflect.Value) {
	m, ok := v.(map[string]any)
	if !ok {
		d.c.fail(path, "expected a table, got %s", describe(v))
		return
	}
	fields := map[string]int{}
	var names []string
	for i := 0; i < rv.NumField(); i++ {
		tag := strings.Split(rv.Type().Field(i).Tag.Get("toml"), ",")[0]
		if tag == "" || tag == "-" || !rv.Type().Field(i).IsExported() {
			continue
		}
		fields[tag] = i
		names = append(names, tag)
	}
	for _, k := range sortedKeys(m) {
		kp := joinKey(path, k)
		i, ok := fields[k]
		if !ok {
			d.c.fail(kp, "%s", unknownKeyMsg(k, names))
			continue
		}
		d.decode(kp, m[k], rv.Field(i))
	}
}

func (d *decoder) array(path string, v any, rv reflect.Value) {
	a, ok := v.([]any)
	if !ok {
		if rv.Type().Elem().Kind() == reflect.Struct {
			d.c.fail(path, "expected an array of tables ([[%s]]), got %s", lastKey(path), describe(v))
		} else {
			d.c.fail(path, "expected an array, got %s", describe(v))
		}
		return
	}
	out := reflect.MakeSlice(rv.Type(), len(a), len(a))
	for i, e := range a {
		d.decode(indexKey(path, i), e, out.Index(i))
	}
	rv.Set(out)
}

func (d *decoder) mapping(path string, v any, rv reflect.Value) {
	m, ok := v.(map[string]any)
	if !ok {
		d.c.fail(path, "expected a table, got %s", describe(v))
		return
	}
	if rv.Type().Key().Kind() != reflect.String {
		d.c.fail(path, "internal error: cannot decode into %s", rv.Type())
		return
	}
	out := reflect.MakeMapWithSize(rv.Type(), len(m))
	for _, k := range sortedKeys(m) {
		ev := reflect.New(rv.Type().Elem()).Elem()
		d.decode(joinKey(path, k), m[k], ev)
		out.SetMapIndex(reflect.ValueOf(k).Convert(rv.Type().Key()), ev)
	}
	rv.Set(out)
}

// describe names the TOML type of a decoded value for error messages.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("string %q", truncate(x, 40))
	case bool:
		return fmt.Sprintf("boolean %t", x)
	case int64:
		return fmt.Sprintf("integer %d", x)
	case float64:
		return fmt.Sprintf("float %v", x)
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	case time.Time, toml.LocalDateTime:
		return "a date-time"
	case toml.LocalDate:
		return "a date"
	case toml.LocalTime:
		return "a time"
	default:
		return fmt.Sprintf("%T", v)
	}
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func lastKey(path string) string {
	if p := parentKey(path); p != "" {
		return strings.TrimPrefix(path, p+".")
	}
	return path
}
