package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"

	"github.com/earshot/earshot/config"
)

// Get reads path?query from the running daemon's API into out, with the
// configured API token, reading at most limit bytes. The daemon's error
// envelope becomes the error; a daemon that is not running gives an error
// IsNotRunning recognises.
func Get(ctx context.Context, cfg *config.Config, path string, query url.Values, timeout time.Duration, limit int64, out any) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	u := "http://" + APIHost(cfg.Earshot.Listen) + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	if cfg.Earshot.APIToken != "" {
		req.Header.Set("Authorization", "Bearer "+cfg.Earshot.APIToken)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, limit))
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		var e struct {
			Error struct{ Message string } `json:"error"`
		}
		if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
			return errors.New(e.Error.Message)
		}
		return fmt.Errorf("daemon answered %s", res.Status)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("daemon answer: %w", err)
	}
	return nil
}

// APIHost turns a listen address into one a client can dial: a wildcard
// host (":8089", "0.0.0.0:8089", "[::]:8089") becomes loopback.
func APIHost(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// IsNotRunning tells whether err says nothing answers on the API address.
func IsNotRunning(err error) bool {
	var op *net.OpError
	return errors.Is(err, syscall.ECONNREFUSED) || (errors.As(err, &op) && op.Op == "dial")
}
