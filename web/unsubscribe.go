package web

import (
	"context"
	"html/template"
	"net/http"
)

// Unsubscriber handles the digest's one-click unsubscribe links;
// *digest.Unsubscriber implements it. Check returns the recipient a
// signed token names (an error for any token not signed with the data
// dir's key); Unsubscribe also records the opt-out.
type Unsubscriber interface {
	Check(token string) (string, error)
	Unsubscribe(ctx context.Context, token string) (string, error)
}

// unsubscribePath is served without a session (the signed token is the
// authorisation) and, for a POST carrying a valid token, without the
// Origin check: mail clients post one-click unsubscribes (RFC 8058) from
// their own origin or none. The Host check still applies.
const unsubscribePath = "/unsubscribe"

// signedUnsubscribe reports whether r is a POST /unsubscribe whose token
// (the t query parameter, as in the List-Unsubscribe link) is valid.
func (s *Server) signedUnsubscribe(r *http.Request) bool {
	if r.Method != http.MethodPost || r.URL.Path != unsubscribePath || s.opts.Unsubscribe == nil {
		return false
	}
	_, err := s.opts.Unsubscribe.Check(r.URL.Query().Get("t"))
	return err == nil
}

var unsubscribeTmpl = template.Must(template.New("u").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Earshot digest</title></head>
<body>{{if .Done}}<h1>Unsubscribed</h1><p>{{.Email}} will not receive the Earshot digest any more. To receive it again, ask your Earshot admin.</p>
{{else if .Email}}<h1>Unsubscribe from the Earshot digest?</h1>
<form method="post" action="/unsubscribe?t={{.Token}}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe {{.Email}}</button></form>
{{else}}<h1>This unsubscribe link is not valid</h1><p>It may have been cut by your mail program, or the Earshot data was reset. Reply to the digest to unsubscribe instead.</p>{{end}}
</body></html>
`))

type unsubscribePage struct {
	Email, Token string
	Done         bool
}

// handleUnsubscribePage shows a confirmation button: a GET never
// unsubscribes (link scanners and previews open links).
func (s *Server) handleUnsubscribePage(w http.ResponseWriter, r *http.Request) {
	if s.opts.Unsubscribe == nil {
		writeError(w, http.StatusNotFound, "not_found", "unsubscribe links are not enabled on this server")
		return
	}
	t := r.URL.Query().Get("t")
	p := unsubscribePage{Token: t}
	status := http.StatusOK
	if email, err := s.opts.Unsubscribe.Check(t); err == nil {
		p.Email = email
	} else {
		status = http.StatusBadRequest
	}
	writeUnsubscribe(w, status, p)
}

// handleUnsubscribe records the opt-out of a signed token (POST, the
// one-click body "List-Unsubscribe=One-Click" or the confirmation form).
func (s *Server) handleUnsubscribe(w http.ResponseWriter, r *http.Request) {
	if s.opts.Unsubscribe == nil {
		writeError(w, http.StatusNotFound, "not_found", "unsubscribe links are not enabled on this server")
		return
	}
	t := r.URL.Query().Get("t")
	if _, err := s.opts.Unsubscribe.Check(t); err != nil {
		writeUnsubscribe(w, http.StatusBadRequest, unsubscribePage{})
		return
	}
	email, err := s.opts.Unsubscribe.Unsubscribe(r.Context(), t)
	if err != nil {
		s.opts.Logger.Error().Err(err).Msg("unsubscribe")
		writeError(w, http.StatusInternalServerError, "internal", "the unsubscribe could not be recorded; try again")
		return
	}
	s.opts.Logger.Info().Str("recipient", email).Msg("digest recipient unsubscribed")
	writeUnsubscribe(w, http.StatusOK, unsubscribePage{Email: email, Done: true})
}

func writeUnsubscribe(w http.ResponseWriter, status int, p unsubscribePage) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = unsubscribeTmpl.Execute(w, p)
}
