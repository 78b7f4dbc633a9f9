package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/earshot/earshot/config"
)

// daemonGet reads path?query from the running daemon's API into out, with
// the configured API token. The daemon's error envelope becomes the error;
// a daemon that is not running gives an error isNotRunning recognises.
func daemonGet(ctx context.Context, cfg *config.Config, path string, query url.Values, timeout time.Duration, limit int64, out any) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	u := "http://" + apiHost(cfg.Earshot.Listen) + path
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
