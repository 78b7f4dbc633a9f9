package report

import (
	"strings"

	"github.com/earshot/earshot/query"
)

// Phrases of the findings and the report page, by language. One table per
// language; a key missing in Korean falls back to English (a test lists
// the keys each table must have).
var enPhrases = map[string]string{
	"all networks":           "all networks",
	"rose":                   "rose",
	"fell":                   "fell",
	"findings":               "What changed",
	"no findings":            "Nothing changed enough to call on this sample.",
	"how computed":           "How this is computed",
	"evidence":               "see the mentions",
	"post":                   "open the post",
	"too few":                "too few to call",
	"new":                    "new",
	"prev. partly collected": "prev. partly collected",
	"finding.sov":            "%[1]s's share of voice on %[2]s %[3]s from %[4]s to %[5]s (%[6]s mentions over both weeks).",
	"finding.men":            "Mentions of %[1]s on %[2]s %[3]s from %[4]s to %[5]s.",
	"finding.net":            "Net sentiment for %[1]s on %[2]s %[3]s from %[4]s to %[5]s (%[6]s positive and negative mentions).",
	"finding.spike":          "%[1]s spiked on %[2]s on %[3]s: %[4]s mentions against a usual %[5]s.",
	"finding.drv":            " Most engaged post: “%[1]s”.",
	"finding.drv.new":        " Newest post: “%[1]s”.",
	"finding.drove":          " %[1]d posts drew %[2]s of its interactions there.",
	"finding.drove1":         " 1 post drew %[2]s of its interactions there.",
	"finding.neg":            "Complaints about %[1]s on %[2]s %[3]s from %[4]s to %[5]s negative mentions.",
	"finding.care":           "%[1]s's median reply time on %[2]s is %[3]s h; the fastest competitor, %[4]s, replies in %[5]s h (response rate %[6]s vs %[7]s; %[8]s answered mentions).",
	"finding.ws.w":           "White space on %[1]s: no competitor reaches 20%% share of voice (strongest %[2]s at %[3]s; %[4]s of the category's mentions are there).",
	"finding.ws.a":           "White space on %[1]s: no competitor is mentioned (%[2]s of the category's mentions are there).",
	"finding.goal":           "Goal “%[1]s” is %[2]s: %[3]s now, target %[4]s.",
	"behind":                 "behind",
	"missed":                 "missed",
	"few":                    "Only %[1]d finding this week: nothing else moved enough on 10 or more mentions to call.",
	"few.n":                  "Only %[1]d findings this week: nothing else moved enough on 10 or more mentions to call.",
	"few.none":               "Nothing moved enough on 10 or more mentions to call this week.",
	"few.partial":            " Changes are not compared on %[1]s: the previous week there was not fully collected, so its changes read “prev. partly collected”.",
	"few.period":             "Only %[1]d finding this period: nothing else moved enough on 10 or more mentions to call.",
	"few.n.period":           "Only %[1]d findings this period: nothing else moved enough on 10 or more mentions to call.",
	"few.none.period":        "Nothing moved enough on 10 or more mentions to call this period.",
	"few.partial.period":     " Changes are not compared on %[1]s: the previous period there was not fully collected, so its changes read “prev. partly collected”.",
}

var koPhrases = map[string]string{
	"all networks":           "전체 네트워크",
	"rose":                   "올랐습니다",
	"fell":                   "떨어졌습니다",
	"findings":               "이번 주 달라진 점",
	"no findings":            "이번 표본에서는 판단할 만큼 달라진 것이 없습니다.",
	"how computed":           "계산 방법",
	"evidence":               "언급 보기",
	"post":                   "글 열기",
	"too few":                "판단하기에 적음",
	"new":                    "신규",
	"prev. partly collected": "이전 기간 일부만 수집",
	"finding.sov":            "%[2]s에서 %[1]s의 점유율이 %[4]s에서 %[5]s(으)로 %[3]s (두 주 언급 %[6]s건).",
	"finding.men":            "%[2]s에서 %[1]s 언급이 %[4]s건에서 %[5]s건으로 %[3]s.",
	"finding.net":            "%[2]s에서 %[1]s의 순감성이 %[4]s에서 %[5]s(으)로 %[3]s (긍정·부정 언급 %[6]s건).",
	"finding.spike":          "%[3]s %[2]s에서 %[1]s 언급이 급증했습니다: 평소 %[5]s건에 비해 %[4]s건.",
	"finding.drv":            " 가장 반응이 많은 글: “%[1]s”.",
	"finding.drv.new":        " 가장 최근 글: “%[1]s”.",
	"finding.drove":          " 그곳 반응의 %[2]s는 글 %[1]d건에서 나왔습니다.",
	"finding.drove1":         " 그곳 반응의 %[2]s는 글 %[1]d건에서 나왔습니다.",
	"finding.neg":            "%[2]s에서 %[1]s에 대한 불만(부정 언급)이 %[4]s건에서 %[5]s건으로 %[3]s.",
	"finding.care":           "%[2]s에서 %[1]s의 응답 시간 중앙값은 %[3]s시간, 가장 빠른 경쟁사 %[4]s은(는) %[5]s시간입니다 (응답률 %[6]s 대 %[7]s, 응답한 언급 %[8]s건).",
	"finding.ws.w":           "%[1]s은(는) 빈 시장입니다: 점유율 20%%에 이르는 경쟁사가 없습니다 (가장 높은 %[2]s %[3]s, 카테고리 언급의 %[4]s).",
	"finding.ws.a":           "%[1]s은(는) 빈 시장입니다: 언급된 경쟁사가 없습니다 (카테고리 언급의 %[2]s).",
	"finding.goal":           "목표 “%[1]s”: %[2]s — 현재 %[3]s, 목표 %[4]s.",
	"behind":                 "뒤처짐",
	"missed":                 "기한 지남",
	"few":                    "이번 주 발견은 %[1]d건뿐입니다: 그 밖에는 언급 10건 이상에서 판단할 만큼 움직인 것이 없습니다.",
	"few.n":                  "이번 주 발견은 %[1]d건뿐입니다: 그 밖에는 언급 10건 이상에서 판단할 만큼 움직인 것이 없습니다.",
	"few.none":               "이번 주에는 언급 10건 이상에서 판단할 만큼 움직인 것이 없습니다.",
	"few.partial":            " %[1]s에서는 지난주가 모두 수집되지 않아 변화를 비교하지 않습니다 (변화는 “이전 기간 일부만 수집”으로 표시).",
	"few.period":             "이번 기간 발견은 %[1]d건뿐입니다: 그 밖에는 언급 10건 이상에서 판단할 만큼 움직인 것이 없습니다.",
	"few.n.period":           "이번 기간 발견은 %[1]d건뿐입니다: 그 밖에는 언급 10건 이상에서 판단할 만큼 움직인 것이 없습니다.",
	"few.none.period":        "이번 기간에는 언급 10건 이상에서 판단할 만큼 움직인 것이 없습니다.",
	"few.partial.period":     " %[1]s에서는 이전 기간이 모두 수집되지 않아 변화를 비교하지 않습니다 (변화는 “이전 기간 일부만 수집”으로 표시).",
}

// Sentence writes f as one plain sentence in l's language, figures in its
// number format. Text taken from posts (a spike's driving post) is passed
// through query.Display.
func (f Finding) Sentence(l Locale) string {
	dir := l.T("rose")
	if f.After < f.Before {
		dir = l.T("fell")
	}
	net := l.Network(f.Network)
	switch f.Kind {
	case FindingSOV:
		return l.Sprintf(l.T("finding.sov"), f.Brand, net, dir, l.Pct(f.Before), l.Pct(f.After), l.Count(f.N)) + f.evidenceText(l)
	case FindingMentions:
		return l.Sprintf(l.T("finding.men"), f.Brand, net, dir, l.Count(int64(f.Before)), l.Count(int64(f.After))) + f.evidenceText(l)
	case FindingNet:
		return l.Sprintf(l.T("finding.net"), f.Brand, net, dir, l.Signed(f.Before, 2), l.Signed(f.After, 2), l.Count(f.N)) + f.evidenceText(l)
	case FindingComplaints:
		return l.Sprintf(l.T("finding.neg"), f.Brand, net, dir, l.Count(int64(f.Before)), l.Count(int64(f.After))) + f.evidenceText(l)
	case FindingCare:
		rate := func(p *float64) string {
			if p == nil {
				return "—"
			}
			return l.Pct(*p)
		}
		return l.Sprintf(l.T("finding.care"), f.Brand, net, l.Fixed(f.After, 1), f.Rival, l.Fixed(f.Before, 1),
			rate(f.OwnRate), rate(f.RivalRate), l.Count(f.N))
	case FindingSpike:
		return l.Sprintf(l.T("finding.spike"), f.Brand, net, l.Date(f.Day), l.Count(int64(f.After)), l.Fixed(f.Before, 1)) + f.evidenceText(l)
	case FindingWhiteSpace:
		if f.Status == "absent" || f.Rival == "" {
			return l.Sprintf(l.T("finding.ws.a"), net, l.Pct(f.Effect*100))
		}
		return l.Sprintf(l.T("finding.ws.w"), net, f.Rival, l.Pct(f.Before), l.Pct(f.Effect*100))
	case FindingGoal:
		return l.Sprintf(l.T("finding.goal"), f.Name, l.T(f.Status), l.Fixed(f.After, 1), l.Fixed(f.Before, 1))
	}
	return ""
}

// PostURL is the link of the post f's evidence names first, "" when none.
func (f Finding) PostURL() string {
	if f.Evidence == nil || len(f.Evidence.Posts) == 0 {
		return ""
	}
	return f.Evidence.Posts[0].URL
}

// evidenceText is f's evidence as a sentence tail: the first post's title
// (or excerpt; through query.Display, cut to 90 runes) and, where the
// network counts interactions, how many posts drew what share of them.
func (f Finding) evidenceText(l Locale) string {
	e := f.Evidence
	if e == nil || len(e.Posts) == 0 {
		return ""
	}
	title := e.Posts[0].Title
	if title == "" {
		title = e.Posts[0].Excerpt
	}
	if r := []rune(query.Display(title)); len(r) > 90 {
		title = string(r[:89]) + "…"
	} else {
		title = string(r)
	}
	key := "finding.drv"
	if f.Kind != FindingSpike && e.Share == nil {
		key = "finding.drv.new" // no interaction counts: the newest comes first
	}
	s := l.Sprintf(l.T(key), title)
	switch {
	case e.Share == nil || e.Drove == 0:
	case e.Drove == 1:
		s += l.Sprintf(l.T("finding.drove1"), e.Drove, l.Pct(*e.Share))
	default:
		s += l.Sprintf(l.T("finding.drove"), e.Drove, l.Pct(*e.Share))
	}
	return s
}

// FewFindings says why a digest or page opens with fewer than MinFindings
// findings (found of them; "" when it has enough): the sample rule, and the
// networks of r whose previous period was not fully collected, where no
// change is compared.
func FewFindings(r *Report, found int, l Locale) string {
	if found >= MinFindings {
		return ""
	}
	// A week's report says "this week", any other period "this period".
	sfx := ""
	if r.Meta.Period != "" && r.Meta.Period != "week" {
		sfx = ".period"
	}
	s := l.Sprintf(l.T("few.n"+sfx), found)
	switch found {
	case 0:
		s = l.T("few.none" + sfx)
	case 1:
		s = l.Sprintf(l.T("few"+sfx), found)
	}
	var partial []string
	for _, nv := range r.Voice.Networks {
		if nv.Network != allNetworks && nv.PrevPartial {
			partial = append(partial, l.Network(nv.Network))
		}
	}
	if len(partial) > 0 {
		s += l.Sprintf(l.T("few.partial"+sfx), strings.Join(partial, ", "))
	}
	return s
}
