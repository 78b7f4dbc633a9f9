package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// maxFileSize bounds what Load reads; real configurations are a few KB.
const maxFileSize = 1 << 20

// Load reads and validates the configuration file at path. getenv resolves
// the environment variables the file names (nil means os.Getenv). An
// unreadable file gives a wrapped I/O error; invalid content gives Errors.
func Load(path string, getenv func(string) string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("config: read %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, Errors{{File: path, Msg: fmt.Sprintf("file is larger than %d bytes", maxFileSize)}}
	}
	return Parse(data, path, getenv)
}

// Parse decodes and validates a configuration document. file names it in
// error messages and in Config.File. getenv resolves the environment
// variables the document names (nil means os.Getenv). On failure the error
// is Errors listing every problem found, each with its position.
func Parse(data []byte, file string, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))

	// Pass 1: TOML syntax and TOML-level semantics (duplicate keys, table
	// redefinitions). Nothing more can be said about a document that fails.
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		return nil, Errors{tomlError(file, err)}
	}
	// Pass 2: where every key was written.
	ix, err := buildIndex(data)
	if err != nil {
		return nil, Errors{{File: file, Msg: "toml: " + err.Error()}}
	}
	c := &collector{file: file, ix: ix, bad: map[string]bool{}}

	// Pass 3: typed decoding, collecting unknown keys and wrong types.
	cfg := &Config{}
	(&decoder{c: c}).decode("", raw, reflect.ValueOf(cfg).Elem())
	cfg.File = file

	// Pass 4: semantic validation and defaults.
	v := &validator{c: c, getenv: getenv}
	v.earshot(&cfg.Earshot)
	v.brands(cfg.Brands)
	v.topics(cfg.Topics)
	v.sources(cfg.Sources)
	v.sentiment(&cfg.Sentiment, cfg.Brands)
	v.goals(cfg.Goals, cfg.Brands)
	v.digest(&cfg.Digest, cfg.Earshot, cfg.Brands)
	v.alerts(cfg.Alerts, cfg.AlertChannels, cfg.Brands, cfg.Sources)
	v.cluster(&cfg.Cluster)

	if err := c.result(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// tomlError converts a go-toml error into a positioned Error.
func tomlError(file string, err error) *Error {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		return &Error{
			File: file, Line: line, Col: col,
			Key: strings.Join(de.Key(), "."),
			Msg: "toml: " + strings.TrimPrefix(de.Error(), "toml: "),
		}
	}
	return &Error{File: file, Msg: "toml: " + strings.TrimPrefix(err.Error(), "toml: ")}
}

// validator checks decoded sections and fills in defaults.
type validator struct {
	c      *collector
	getenv func(string) string
}
