package web

import (
	"bytes"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

// staticFiles are the embedded CSS and JavaScript, by name ("app.css"):
// the only files /static/ serves. Names are matched exactly, so no path
// (../, %2e%2e, a directory) reaches the templates or openapi.json, and no
// directory is ever listed.
var staticFiles = loadStatic()

func loadStatic() map[string][]byte {
	out := map[string][]byte{}
	err := fs.WalkDir(uiFS, "ui/static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := uiFS.ReadFile(path)
		out[strings.TrimPrefix(path, "ui/static/")] = b
		return err
	})
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return out
}

// staticHandler serves staticFiles. They are public: the login page needs
// them before anyone signs in.
type staticHandler struct{}

func (staticHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutPrefix(r.URL.Path, "/static/")
	b, found := staticFiles[name]
	if !ok || !found {
		writeError(w, http.StatusNotFound, "not_found", "no static file "+truncateRunes(r.URL.Path, 100))
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}
