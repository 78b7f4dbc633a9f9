package report

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Note is one line of a report's notes kept as its key and arguments, so
// each language writes it from its own table (noteText): the English line
// is Meta.Notes (JSON and every English output), the Korean one a Korean
// digest's and page's. Network is the network it is about (printed as is
// in English, the one the notes name — "rss:" —, and as its label in
// Korean); Labels are networks printed as their labels in both.
type Note struct {
	Key     string
	Network string
	Labels  []string
	Args    []any
	Then    *Note // a clause appended to the line
}

// noteText holds every note, by language; %[1]s is always the network
// (Note.Network) or the labels (Note.Labels), the rest are Args from %[2].
// TestNoteTextComplete checks that both languages have every key.
var noteText = map[string]map[string]string{
	"en": {
		"partial":       "%[1]sthe window is not over yet: figures are partial",
		"unpolled":      "%[1]s: source %[2]s has not completed a poll: no period counts as collected on %[1]s until it does",
		"short":         "%[1]s: baseline too short: %[2]d of %[3]d days collected (from %[4]s)",
		"short local":   "%[1]s: baseline too short on %[4]s (%[2]d of %[3]d days collected): spikes are called from %[5]s",
		"fresh":         "%[1]sengagement as of: %.0[2]f%% of %[3]d mentions with counts were counted at least %[4]s after publication (refreshed at %[5]s)",
		"fresh none":    "%[1]sengagement as of: no mention with counts in the window",
		"fresh unrefr.": "; %[1]s give no counts (%[2]d mentions, never refreshed)",
	},
	"ko": {
		"partial":       "%[1]s기간이 아직 끝나지 않아 수치가 부분적입니다",
		"unpolled":      "%[1]s: 소스 %[2]s의 첫 수집이 끝나지 않았습니다. 끝날 때까지 %[1]s의 어느 기간도 수집된 것으로 보지 않습니다",
		"short":         "%[1]s: 기준 기간이 짧습니다 (%[3]d일 중 %[2]d일 수집, %[4]s부터)",
		"short local":   "%[1]s: %[4]s에는 기준 기간이 짧아 (%[3]d일 중 %[2]d일 수집) 급증은 %[5]s부터 판단합니다",
		"fresh":         "%[1]s반응 수 기준 시점: 반응 수가 있는 언급 %[3]d건 중 %.0[2]f%%는 게시 후 %[4]s 이상 지나 집계했습니다 (갱신: %[5]s)",
		"fresh none":    "%[1]s반응 수 기준 시점: 이번 기간에 반응 수가 있는 언급이 없습니다",
		"fresh unrefr.": "; %[1]s은(는) 반응 수를 주지 않습니다 (언급 %[2]d건, 갱신 안 함)",
	},
}

// Text writes n in l's language. In Korean its dates and durations are
// the locale's too ("11월 16일", "24시간"); in English they stay as the
// JSON's notes read ("2026-11-16", "24h").
func (n Note) Text(l Locale) string { return n.text(l, l.Lang != "en") }

var (
	isoDay   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	duration = regexp.MustCompile(`\b(\d+)([hd])\b`)
)

// localArgs writes n's date and duration arguments in l's locale.
func (n Note) localArgs(l Locale) []any {
	out := make([]any, len(n.Args))
	for i, a := range n.Args {
		out[i] = a
		s, ok := a.(string)
		switch {
		case !ok:
		case isoDay.MatchString(s):
			out[i] = l.ShortDate(s)
		case l.Lang == "ko":
			out[i] = duration.ReplaceAllStringFunc(s, func(m string) string {
				p := duration.FindStringSubmatch(m)
				return p[1] + map[string]string{"h": "시간", "d": "일"}[p[2]]
			})
		}
	}
	return out
}

// text writes n in l's language, its dates and durations in l's locale
// when local.
func (n Note) text(l Locale, local bool) string {
	table := noteText[l.Lang]
	if table == nil {
		table = noteText["en"]
	}
	key := n.Key
	if key == "short" && len(n.Args) == 3 {
		// Say when spikes are called: the first day whose baseline holds
		// the minimum collected (one more a day). A window that starts
		// short may still call spikes on its later days.
		got, _ := n.Args[0].(int)
		need, _ := n.Args[1].(int)
		if day, err := time.Parse(time.DateOnly, fmt.Sprint(n.Args[2])); err == nil {
			n.Args = append(slices.Clone(n.Args), day.AddDate(0, 0, need-got).Format(time.DateOnly))
			key = "short local"
		}
	}
	format, ok := table[key]
	if !ok {
		format = noteText["en"][key]
	}
	head := n.Network
	if l.Lang == "ko" && head != "" {
		head = l.Network(head)
	}
	if len(n.Labels) > 0 {
		labels := make([]string, len(n.Labels))
		for i, x := range n.Labels {
			labels[i] = l.Network(x)
			if l.Lang == "en" {
				labels[i] = NetworkLabel(x) // "All networks", capitalised: the line may start with it
			}
		}
		head = strings.Join(labels, ", ")
	}
	args := n.Args
	if local {
		args = n.localArgs(l)
	}
	s := fmt.Sprintf(format, append([]any{head}, args...)...) // English as the notes always read
	if l.Lang != "en" {
		s = l.Sprintf(format, append([]any{head}, args...)...) // counts in the locale's format
	}
	if n.Then != nil {
		s += n.Then.text(l, local)
	}
	return s
}

// NotesIn is r's notes in l's language: from the keyed notes when r was
// built here, else (a report read back from JSON) the English lines.
func (r *Report) NotesIn(l Locale) []string {
	if len(r.Meta.NoteList) == 0 {
		return r.Meta.Notes
	}
	out := make([]string, len(r.Meta.NoteList))
	for i, n := range r.Meta.NoteList {
		out[i] = n.Text(l)
	}
	return out
}

// addNotes appends ns to r's notes, keyed and in English.
func (r *Report) addNotes(ns ...Note) {
	en := NewLocale("en")
	for _, n := range ns {
		r.Meta.NoteList = append(r.Meta.NoteList, n)
		r.Meta.Notes = append(r.Meta.Notes, n.Text(en))
	}
}

// BriefNotesIn is NotesIn for a brief (the digest): networks are named by
// their labels, dates are the reader's ("from 16 Nov"), and the "baseline too short" notes of networks with as
// many collected days from the same day are one line ("Bluesky, Daum:
// baseline too short: 11 of 14 days collected …"), at the place of the
// first.
func (r *Report) BriefNotesIn(l Locale) []string {
	if len(r.Meta.NoteList) == 0 {
		return r.Meta.Notes
	}
	var out []Note
	group := map[string]int{} // collected days and first day → index in out
	for _, n := range r.Meta.NoteList {
		if n.Network != "" {
			// A brief names networks as people read them, in every language.
			n.Labels, n.Network = []string{n.Network}, ""
		}
		if n.Key != "short" || len(n.Labels) != 1 {
			out = append(out, n)
			continue
		}
		k := fmt.Sprint(n.Args...)
		if i, ok := group[k]; ok {
			out[i].Labels = append(out[i].Labels, n.Labels[0])
			continue
		}
		group[k] = len(out)
		out = append(out, n)
	}
	texts := make([]string, len(out))
	for i, n := range out {
		texts[i] = n.text(l, true)
	}
	return texts
}
