package report

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

const (
	reportDoc     = "../../docs/report.md"
	formulasBegin = "<!-- report-formulas:begin -->"
	formulasEnd   = "<!-- report-formulas:end -->"
)

// The formulas every report prints are the ones docs/report.md lists:
// the section between the markers is written from the code (go test
// ./analysis/report -run TestFormulasDoc -update rewrites it).
func TestFormulasDoc(t *testing.T) {
	r := buildT(t, fixtureStore(t, nil), Request{Config: fixtureCfg(t, ""), End: winEnd, Now: fixNow})
	var b bytes.Buffer
	for _, tb := range tables(r) {
		if len(tb.Formula) == 0 {
			continue
		}
		b.WriteString("\n**" + tb.Title + "**\n")
		for _, f := range tb.Formula {
			b.WriteString("- " + f + "\n")
		}
	}
	want := b.String()
	raw, err := os.ReadFile(reportDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	i, j := strings.Index(doc, formulasBegin), strings.Index(doc, formulasEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the markers %s … %s", reportDoc, formulasBegin, formulasEnd)
	}
	if doc[i+len(formulasBegin):j] == want+"\n" {
		return
	}
	if !*update {
		t.Fatalf("the formulas in %s differ from the code's; run go test ./analysis/report -run TestFormulasDoc -update", reportDoc)
	}
	doc = doc[:i+len(formulasBegin)] + want + "\n" + doc[j:]
	if err := os.WriteFile(reportDoc, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
}
