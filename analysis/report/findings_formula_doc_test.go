package report

import (
	"os"
	"strings"
	"testing"
)

// The findings' formula docs/report.md shows is FindingsFormula: the
// section between the markers is written from it (-update rewrites it).
func TestFindingsFormulaDoc(t *testing.T) {
	const begin, end = "<!-- findings-formula:begin -->", "<!-- findings-formula:end -->"
	var b strings.Builder
	b.WriteString("\n")
	for _, f := range FindingsFormula {
		b.WriteString("- " + f + "\n")
	}
	raw, err := os.ReadFile(reportDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the markers %s … %s", reportDoc, begin, end)
	}
	if doc[i+len(begin):j] == b.String() {
		return
	}
	if !*update {
		t.Fatalf("the findings' formula in %s differs from FindingsFormula; run go test ./analysis/report -run TestFindingsFormulaDoc -update", reportDoc)
	}
	doc = doc[:i+len(begin)] + b.String() + doc[j:]
	if err := os.WriteFile(reportDoc, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
}
