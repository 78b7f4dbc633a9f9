package match

import (
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/query"
)

func testBrands() []config.Brand {
	return []config.Brand{
		{Name: "Acme", Terms: []string{"아크미", "Acme Corp"}, Exclude: []string{"Acme Road Runner", "아크미 로드"},
			Handles: map[string][]string{"hackernews": {"acme_hq"}, "mastodon": {"@acme@mastodon.social"}}},
		{Name: "삼성", Terms: []string{"Samsung", "Samsung Electronics", "삼성전자"}},
		{Name: "토스", Terms: []string{"Toss"}, Handles: map[string][]string{"hackernews": {"TossTeam"}}},
		{Name: "다나", Terms: []string{"다나"}}, // ends like the particle 나
		{Name: "LG", Terms: []string{"LG전자"}},
	}
}

func TestMatchBrands(t *testing.T) {
	m, err := New(testBrands(), nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []string
	}{
		{"Acme makes anvils", []string{"Acme"}},
		{"ACME's anvil", []string{"Acme"}},
		{"an Acme-branded anvil", []string{"Acme"}},
		{"#acme #Samsung", []string{"Acme", "삼성"}},
		{"Welcome to Acmeville", nil},
		{"ＡＣＭＥ fullwidth", []string{"Acme"}},
		{"acme\u3000corp", []string{"Acme"}},
		{"Acme의 신제품", []string{"Acme"}},
		{"아크미(Acme) 출시", []string{"Acme"}},
		{"아크미는 좋다", []string{"Acme"}},
		{"삼성은 새 폰을", []string{"삼성"}},
		{"삼성이 발표", []string{"삼성"}},
		{"삼성의 갤럭시", []string{"삼성"}},
		{"삼성에서 일한다", []string{"삼성"}},
		{"삼성에서는 아니다", []string{"삼성"}},
		{"삼성이랑 LG", []string{"삼성", "LG"}},
		{"삼성에게도 좋다", []string{"삼성"}},
		{"삼성이랑은 달라", []string{"삼성"}},
		{"삼성ㅋㅋ 대박", []string{"삼성"}},
		{"삼성이ㅠㅠ", []string{"삼성"}},
		{"삼성, 애플", []string{"삼성"}},
		{"삼성동에 갔다", nil},
		{"신삼성 시대", nil},
		{"토스트 먹자", nil},
		{"토스로 송금", []string{"토스"}},
		{"다나 씨", []string{"다나"}},
		{"다나는 학생", []string{"다나"}},
		{"다나카 상", nil},
		{"LG전자의 TV", []string{"LG"}},
		{"Samsung   Electronics", []string{"삼성"}},
		{"삼성전자에서", []string{"삼성"}},
		{"I use toss.", []string{"토스"}},
		{"tossed salad", nil},
		{"", nil},
		{"!!! ... ???", nil},
	}
	for _, tt := range tests {
		got := m.Match(Input{Network: "rss", Text: tt.text})
		if !reflect.DeepEqual(got.Brands, tt.want) || got.OwnedBy != "" {
			t.Errorf("Match(%q) = %+v, want brands %v", tt.text, got, tt.want)
		}
		if got.Matched() != (len(tt.want) > 0) {
			t.Errorf("Match(%q).Matched() = %v", tt.text, got.Matched())
		}
	}
}

func TestMatchExclusions(t *testing.T) {
	m, err := New(testBrands(), nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []string
	}{
		{"the Acme Road Runner cartoon", nil},
		{"ACME road-runner", nil},
		{"Acme Road Runner, and also an Acme battery", []string{"Acme"}},
		{"acme road", []string{"Acme"}},
		{"아크미 로드에서", nil},
		{"아크미 로드 그리고 아크미는", []string{"Acme"}},
		// An exclusion vetoes only its own brand.
		{"Acme Road Runner by Samsung", []string{"삼성"}},
	}
	for _, tt := range tests {
		if got := m.Match(Input{Title: "", Text: tt.text}); !reflect.DeepEqual(got.Brands, tt.want) {
			t.Errorf("Match(%q) = %v, want %v", tt.text, got.Brands, tt.want)
		}
	}
}

func TestMatchHandles(t *testing.T) {
	m, err := New(testBrands(), nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in     Input
		brands []string
		owned  string
	}{
		{Input{Network: "hackernews", Author: "acme_hq", Text: "new release"}, nil, "Acme"},
		{Input{Network: "hackernews", Author: "@ACME_HQ", Text: "Acme 2.0"}, []string{"Acme"}, "Acme"},
		{Input{Network: "rss", Author: "acme_hq", Text: "x"}, nil, ""},
		{Input{Network: "hackernews", Author: "tossteam", Text: "x"}, nil, "토스"},
		{Input{Network: "hackernews", Author: "someone", Text: "thanks @acme_hq!"}, []string{"Acme"}, ""},
		{Input{Network: "hackernews", Text: "ping @Acme_HQ."}, []string{"Acme"}, ""},
		{Input{Network: "rss", Text: "mail me at bob@tossteam.com"}, nil, ""},
		{Input{Network: "rss", Text: "@tossteamx"}, nil, ""},
		{Input{Network: "rss", Text: "(@TossTeam)"}, []string{"토스"}, ""},
		{Input{Network: "rss", Text: "follow @acme@mastodon.social"}, []string{"Acme"}, ""},
		{Input{Network: "rss", Title: "@tossteam 최고", Text: ""}, []string{"토스"}, ""},
		{Input{Network: "rss", Text: "@ @@ @. @-"}, nil, ""},
	}
	for _, tt := range tests {
		got := m.Match(tt.in)
		if !reflect.DeepEqual(got.Brands, tt.brands) || got.OwnedBy != tt.owned {
			t.Errorf("Match(%+v) = %+v, want brands %v owned %q", tt.in, got, tt.brands, tt.owned)
		}
		if !got.Matched() && (tt.owned != "" || len(tt.brands) > 0) {
			t.Errorf("Match(%+v) not Matched", tt.in)
		}
	}
}

func TestMatchTopics(t *testing.T) {
	parsed, err := query.Parse("acme NEAR/3 batter*")
	if err != nil {
		t.Fatal(err)
	}
	topics := []config.Topic{
		{Name: "battery", Parsed: parsed},
		{Name: "pricing", Query: `(price OR pricing OR "too expensive") -job`},
		{Name: "korean", Query: "삼성 AND (배터리 OR 가격)"},
		{Name: "phrase", Query: `"road runner"`},
	}
	m, err := New(nil, topics)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		title, text string
		want        []string
	}{
		{"", "Acme makes great batteries", []string{"battery"}},
		{"", "batteries: a long story about acme", nil},
		{"Acme", "batteries are fine", nil}, // NEAR does not span title and text
		{"Acme batteries", "", []string{"battery"}},
		{"", "Acme pricing is TOO expensive", []string{"pricing"}},
		{"", "pricing job at Acme", nil},
		{"삼성의 배터리", "", []string{"korean"}},
		{"삼성", "가격이 올랐다", []string{"korean"}},
		{"삼성동", "가격", nil},
		{"road", "runner", nil},
		{"", "Road-Runner", []string{"phrase"}},
	}
	for _, tt := range tests {
		got := m.Match(Input{Title: tt.title, Text: tt.text})
		if !reflect.DeepEqual(got.Topics, tt.want) || got.Brands != nil {
			t.Errorf("Match(%q, %q) = %+v, want topics %v", tt.title, tt.text, got, tt.want)
		}
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name   string
		brands []config.Brand
		topics []config.Topic
		want   string
	}{
		{"nothing", nil, nil, "nothing to match"},
		{"empty name", []config.Brand{{Name: " "}}, nil, "empty name"},
		{"punctuation term", []config.Brand{{Name: "A", Terms: []string{"!!"}}}, nil, `"!!" has no letters or digits`},
		{"bad exclude", []config.Brand{{Name: "A", Exclude: []string{"--"}}}, nil, "no letters or digits"},
		{"empty handle", []config.Brand{{Name: "A", Handles: map[string][]string{"rss": {"@"}}}}, nil, "empty handle"},
		{"bad topic", nil, []config.Topic{{Name: "t", Query: "NOT x"}}, `topic "t": query needs a term`},
		{"bad parsed topic", nil, []config.Topic{{Name: "t", Parsed: query.Term{Text: "?"}}}, `topic "t": query: term`},
	}
	for _, tt := range tests {
		_, err := New(tt.brands, tt.topics)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestMatchConcurrent(t *testing.T) {
	m, err := New(testBrands(), []config.Topic{{Name: "t", Query: "anvil*"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Acme", "삼성"}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				r := m.Match(Input{Text: "Acme anvils beat 삼성의 anvils"})
				if !reflect.DeepEqual(r.Brands, want) || len(r.Topics) != 1 {
					t.Errorf("concurrent Match = %+v", r)
					return
				}
			}
		}()
	}
	wg.Wait()
}
