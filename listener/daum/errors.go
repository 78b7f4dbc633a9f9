package daum

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/earshot/earshot/listener"
)

// apiError is the body of a Kakao error answer.
type apiError struct {
	ErrorType string `json:"errorType"`
	Message   string `json:"message"`
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
	var text string
	switch {
	case he.StatusCode == http.StatusUnauthorized:
		text = "authentication failed: check the REST API key (the variable named by api_key_env; sent as \"KakaoAK <key>\")"
	case he.StatusCode == http.StatusForbidden:
		text = "access denied: enable Daum search for this app in the Kakao developers console and check api_key_env"
	case he.StatusCode == http.StatusTooManyRequests:
		text = "quota exceeded (the app's daily or monthly Daum search quota, or a burst limit): lower every or queries, or raise the quota"
	case he.StatusCode == http.StatusBadRequest:
		text = "bad request: check the query and kinds"
	case he.StatusCode >= 500:
		text = "kakao server error"
	default:
		text = "unexpected answer"
	}
	if body.ErrorType != "" {
		return fmt.Errorf("%s [daum %s: %s]: %w", text, body.ErrorType, body.Message, err)
	}
	return fmt.Errorf("%s: %w", text, err)
}
