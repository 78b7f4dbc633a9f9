package report

import (
	"fmt"
	"strings"
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
		"short":         "%[1]s: baseline too short: %[2]d of %[3]d days collected (from %[4]s), no spike called",
		"fresh":         "%[1]sengagement as of: %.0[2]f%% of %[3]d mentions with counts were counted at least %[4]s after publication (refreshed at %[5]s)",
		"fresh none":    "%[1]sengagement as of: no mention with counts in the window",
		"fresh unrefr.": "; %[1]s give no counts (%[2]d mentions, never refreshed)",
	},
	"ko": {
		"partial":       "%[1]s기간이 아직 끝나지 않아 수치가 부분적입니다",
		"unpolled":      "%[1]s: 소스 %[2]s의 첫 수집이 끝나지 않았습니다. 끝날 때까지 %[1]s의 어느 기간도 수집된 것으로 보지 않습니다",
		"short":         "%[1]s: 기준 기간이 짧아 급증을 판단하지 않았습니다 (%[3]d일 중 %[2]d일 수집, %[4]s 기준)",
		"fresh":         "%[1]s반응 수 기준 시점: 반응 수가 있는 언급 %[3]d건 중 %.0[2]f%%는 게시 후 %[4]s 이상 지나 집계했습니다 (갱신: %[5]s)",
		"fresh none":    "%[1]s반응 수 기준 시점: 이번 기간에 반응 수가 있는 언급이 없습니다",
		"fresh unrefr.": "; %[1]s은(는) 반응 수를 주지 않습니다 (언급 %[2]d건, 갱신 안 함)",
	},
}

// Text writes n in l's language.
func (n Note) Text(l Locale) string {
	table := noteText[l.Lang]
	if table == nil {
		table = noteText["en"]
	}
	format, ok := table[n.Key]
	if !ok {
		format = noteText["en"][n.Key]
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
	s := fmt.Sprintf(format, append([]any{head}, n.Args...)...) // English as the notes always read
	if l.Lang != "en" {
		s = l.Sprintf(format, append([]any{head}, n.Args...)...) // counts in the locale's format
	}
	if n.Then != nil {
		s += n.Then.Text(l)
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
// their labels, and the "baseline too short" notes of networks with as
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
		texts[i] = n.Text(l)
	}
	return texts
}
