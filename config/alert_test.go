package config

import (
	"testing"
	"time"
)

// The alert files join the good and bad tables of load_test.go.
func init() {
	goodChecks["alerts.good.toml"] = func(t *testing.T, c *Config) {
		if len(c.Alerts) != 5 || len(c.AlertChannels) != 3 {
			t.Fatalf("alerts %d, channels %d", len(c.Alerts), len(c.AlertChannels))
		}
		sp, neg, q, comp, src := c.Alerts[0], c.Alerts[1], c.Alerts[2], c.Alerts[3], c.Alerts[4]
		if sp.Brand != "Acme" || sp.Window != DefaultAlertWindow || sp.BaselineWeeks != DefaultAlertBaseline || sp.Sigma != DefaultAlertSigma ||
			sp.MinCount != DefaultAlertMinCount || sp.MinHistory != DefaultAlertMinHistory || sp.Cooldown != DefaultAlertCooldown ||
			!sp.Ended || sp.Channels[1] != "slack" {
			t.Errorf("spike defaults %+v", sp)
		}
		if neg.MinCount != DefaultAlertMinNegCount || neg.MinShare != DefaultAlertMinNegShare || neg.Window.Std() != 2*time.Hour {
			t.Errorf("negative_surge %+v", neg)
		}
		if q.Parsed == nil || q.MinFollowers != 1000 || comp.Trigger != CompetitorOwned || comp.Brand != "" {
			t.Errorf("query %+v competitor %+v", q, comp)
		}
		if src.SilentFor != DefaultAlertSilentFor || src.FailingFor != DefaultAlertFailingFor {
			t.Errorf("source %+v", src)
		}
		team, slack, ops := c.AlertChannels[0], c.AlertChannels[1], c.AlertChannels[2]
		if team.QuietFrom != 22*60 || team.QuietUntil != 7*60+30 || team.DailyCap != DefaultChannelDailyCap || team.Lang != "ko" {
			t.Errorf("email channel %+v", team)
		}
		loc := c.Earshot.Location
		if !team.Quiet(time.Date(2026, 1, 1, 23, 0, 0, 0, loc), loc) || !team.Quiet(time.Date(2026, 1, 1, 7, 29, 0, 0, loc), loc) ||
			team.Quiet(time.Date(2026, 1, 1, 7, 30, 0, 0, loc), loc) || team.Quiet(time.Date(2026, 1, 1, 12, 0, 0, 0, loc), loc) {
			t.Error("quiet hours wrap midnight in the configured zone")
		}
		if slack.Target != "https://hooks.slack.example/services/T0/B0/test" || ops.Secret != "secret-smtp_password" || ops.DailyCap != 50 || ops.Lang != "en" {
			t.Errorf("slack %+v ops %+v", slack, ops)
		}
	}
	badCases["alerts.bad.toml"] = []want{
		{5, 3, "alert_channel[0]", "a webhook channel needs secret_env"},
		{8, 1, "alert_channel[0].url", `invalid URL "ops.example/hook"`},
		{10, 3, "alert_channel[1]", "a slack channel needs url_env"},
		{13, 1, "alert_channel[1].url", `"url" does not apply to slack channels`},
		{14, 1, "alert_channel[1].quiet_hours", `invalid quiet_hours "25:00-07:00"`},
		{18, 1, "alert_channel[2].type", `unknown channel type "pager": want one of email, slack, webhook`},
		{23, 1, "alert[0].sigma", "sigma 0.5 must be from 1 to 20"},
		{24, 1, "alert[0].window", "window 5m must be from 10m to 24h"},
		{25, 1, "alert[0].query", `"query" does not apply to spike alerts`},
		{26, 21, "alert[0].channels[1]", `unknown alert channel "nobody"`},
		{31, 17, "alert[1].query", "invalid query: AND needs a right-hand operand (query column 8)"},
		{37, 1, "alert[2].brand", `"Acme" is the own brand`},
		{38, 1, "alert[2].trigger", `unknown trigger "launch"`},
		{41, 3, "alert[3]", "an alert needs name"},
		{41, 3, "alert[3]", "an alert needs channels"},
		{43, 1, "alert[3].source", `unknown source "nowhere"`},
	}
}
