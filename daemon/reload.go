package daemon

import (
	"context"
	"fmt"
	"net"
	"slices"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/web"
)

// reload reads the config with load and, when everything in it builds, swaps it
// in: the old scheduler is stopped (cancelled; its in-flight fetches end and
// commit nothing partial, so the new one fetches them again from the saved
// cursors) and the new one started. On any error the running config and
// scheduler stay as they are and the error is recorded for /api/sources
// and the earshot_config_reload_success metric.
func (d *Daemon) reload(ctx context.Context, load func() (*config.Config, error), stop func(), errc <-chan error) (func(), <-chan error, error) {
	now := d.clock()
	fail := func(err error) (func(), <-chan error, error) {
		d.metrics.ReloadResult(false, now)
		d.mu.Lock()
		d.status.Error, d.status.ErrorAt = err.Error(), &now
		d.mu.Unlock()
		d.log.Error().Err(err).Msg("config reload rejected; the running config stays")
		return stop, errc, err
	}
	cfg, err := load()
	if err != nil {
		return fail(err)
	}
	old := d.Config()
	if cfg.Earshot.APIToken == "" && !isLoopback(d.ln.Addr()) {
		return fail(fmt.Errorf("the API listens on %s, which is not loopback: api_token_env must stay set (change listen with a restart)",
			d.ln.Addr()))
	}
	rt, err := d.build(cfg)
	if err != nil {
		return fail(err)
	}
	restart := restartNeeded(old, cfg)

	stop() // wait for the old scheduler: its fetches must not overlap the new one's
	rt.sched.Adopt(d.Health())
	d.install(rt)
	d.api.SetNames(rt.brands, rt.network)
	d.api.SetToken(cfg.Earshot.APIToken)
	d.mu.Lock()
	d.status = web.ConfigStatus{File: cfg.File, LoadedAt: now, Reloads: d.status.Reloads + 1, RestartNeeded: restart}
	d.mu.Unlock()
	d.metrics.ReloadResult(true, now)
	stop, errc = d.startScheduler(ctx)
	ev := d.log.Info().Int("sources", len(cfg.Sources)).Int("brands", len(cfg.Brands)).Int("topics", len(cfg.Topics))
	if len(restart) > 0 {
		ev = ev.Strs("restart_needed", restart)
	}
	ev.Msg("config reloaded")
	return stop, errc, nil
}

// restartNeeded lists the settings that changed but only apply on restart.
func restartNeeded(old, cur *config.Config) []string {
	var out []string
	if old.Earshot.Listen != cur.Earshot.Listen {
		out = append(out, fmt.Sprintf("listen (%s → %s)", old.Earshot.Listen, cur.Earshot.Listen))
	}
	if old.Earshot.DataDir != cur.Earshot.DataDir {
		out = append(out, fmt.Sprintf("data_dir (%s → %s)", old.Earshot.DataDir, cur.Earshot.DataDir))
	}
	if old.Earshot.LogLevel != cur.Earshot.LogLevel {
		out = append(out, "log_level")
	}
	if old.Earshot.LogFormat != cur.Earshot.LogFormat {
		out = append(out, "log_format")
	}
	if !slices.Equal(old.Earshot.AllowedHosts, cur.Earshot.AllowedHosts) {
		out = append(out, "allowed_hosts") // the server checks Host against the list it started with
	}
	if !slices.Equal(old.Earshot.TrustedProxies, cur.Earshot.TrustedProxies) {
		out = append(out, "trusted_proxies")
	}
	return out
}

func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
