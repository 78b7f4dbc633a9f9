package report

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"testing"
)

// notRecorded are the Source methods the recorder passes through on
// purpose: nothing a report shows depends on them changing (docs/report.md,
// "Cached reports": kept phrases are a pure function of the text; the
// watermark is read again when a report is served).
var notRecorded = map[string]bool{"LastSeq": true, "KeptPhrases": true, "KeepPhrases": true}

// Every read a report makes through Source is either recorded by the
// cache's recorder or listed above: a method added to Source would
// otherwise pass through the embedded interface unrecorded and a cached
// report would not see its data change.
func TestRecorderCoversSource(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "cache_reads.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	own := map[string]bool{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 {
			continue
		}
		if star, ok := fn.Recv.List[0].Type.(*ast.StarExpr); ok {
			if id, ok := star.X.(*ast.Ident); ok && id.Name == "recorder" {
				own[fn.Name.Name] = true
			}
		}
	}
	src := reflect.TypeFor[Source]()
	for i := range src.NumMethod() {
		name := src.Method(i).Name
		if own[name] == notRecorded[name] {
			t.Errorf("Source.%s: recorded by the recorder %v, listed as not recorded %v: want exactly one", name, own[name], notRecorded[name])
		}
	}
}
