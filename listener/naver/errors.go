package naver

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/earshot/earshot/listener"
)

// apiError is the body of a Naver error answer.
type apiError struct {
	ErrorMessage string `json:"errorMessage"`
	ErrorCode    string `json:"errorCode"`
}

// codeText explains the Search API's documented error codes.
var codeText = map[string]string{
	"SE01": "incorrect query request: check the query text",
	"SE02": "invalid display value (allowed 1..100)",
	"SE03": "invalid start value (allowed 1..1000)",
	"SE04": "invalid sort value",
	"SE05": "no such search api: check base_url and the path template for this kind",
	"SE06": "malformed query encoding: the query must be UTF-8",
	"SE99": "naver system error",
	"012":  "rate limit exceeded",
	"024":  "authentication failed",
}

// explain wraps an HTTP error from the API with a readable cause; the
// *listener.HTTPError stays reachable with errors.As.
func explain(err error) error {
	var he *listener.HTTPError
	if !errors.As(err, &he) {
		return err
	}
	var body apiError
	_ = json.Unmarshal([]byte(he.Body), &body)
	code := body.ErrorCode
	text := codeText[code]
	switch {
	case he.StatusCode == http.StatusUnauthorized || code == "024":
		text = "authentication failed: check the client id and secret (the variables named by client_id_env and client_secret_env) and the id_header/secret_header names"
	case he.StatusCode == http.StatusForbidden:
		text = "access denied: enable the Search API for this application in the Naver developer console and check client_id_env / client_secret_env"
	case he.StatusCode == http.StatusTooManyRequests:
		text = "rate limit exceeded (per-second limit or the 25,000 calls/day quota)"
	case text == "" && he.StatusCode >= 500:
		text = "naver server error"
	case text == "":
		text = "unexpected answer"
	}
	if code != "" {
		return fmt.Errorf("%s [naver %s]: %w", text, code, err)
	}
	return fmt.Errorf("%s: %w", text, err)
}
