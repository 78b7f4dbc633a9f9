package cluster

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/earshot/earshot/config"
)

// Hash is the config hash every node announces: SHA-256 of the validated
// config with the node-local keys (config.NodeLocalKeys) blanked, as
// canonical JSON, shortened to 16 hex digits. Two nodes with the same
// brands, topics, sources, digest, alerts and cluster settings agree.
func Hash(cfg *config.Config) (string, error) {
	c := *cfg
	c.File = ""
	if c.Digest.BaseURL == "http://"+c.Earshot.Listen {
		c.Digest.BaseURL = "" // the default derived from the node's own listen
	}
	c.Earshot.DataDir, c.Earshot.Listen = "", ""
	cl := c.Cluster
	cl.NodeName, cl.Listen, cl.ClusterListen, cl.Routes = "", "", "", nil
	cl.TLSCert, cl.TLSKey = "", ""
	c.Cluster = cl
	b, err := json.Marshal(&c)
	if err != nil {
		return "", fmt.Errorf("config hash: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8]), nil
}
