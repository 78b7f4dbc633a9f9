package config

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot/query"
)

// Alert rule kinds.
const (
	AlertSpike         = "spike"          // a brand's mentions in a window against its seasonal baseline
	AlertNegativeSurge = "negative_surge" // a brand's negative mentions in a window against their baseline
	AlertQuery         = "query"          // any mention matching a query
	AlertCompetitor    = "competitor"     // a competitor's owned post, or its spike
	AlertSource        = "source"         // a source failing or silent for too long
)

// AlertKinds lists the kinds an [[alert]] may name.
var AlertKinds = []string{AlertSpike, AlertNegativeSurge, AlertQuery, AlertCompetitor, AlertSource}

// Alert channel types.
const (
	ChannelEmail   = "email"   // the digest's SMTP settings (or its outbox)
	ChannelSlack   = "slack"   // a Slack incoming webhook
	ChannelWebhook = "webhook" // a signed JSON POST
)

// ChannelTypes lists the types an [[alert_channel]] may name.
var ChannelTypes = []string{ChannelEmail, ChannelSlack, ChannelWebhook}

// Competitor rule triggers.
const (
	CompetitorOwned = "owned" // the competitor's own account posted
	CompetitorSpike = "spike" // the competitor's mentions spiked (a launch, an outage)
)

// Alert defaults: tuned on the generator's seeded year (docs/alerts.md).
const (
	DefaultAlertWindow      = Duration(time.Hour)
	DefaultAlertBaseline    = 4                             // weeks of the same hour-of-week
	DefaultAlertMinHistory  = Duration(14 * 24 * time.Hour) // collected before a spike may fire
	DefaultAlertSigma       = 4.0
	DefaultAlertMinCount    = 12
	DefaultAlertMinNegCount = 6
	DefaultAlertMinNegShare = 0.4
	DefaultAlertCooldown    = Duration(2 * time.Hour)
	DefaultAlertSilentFor   = Duration(24 * time.Hour)
	DefaultAlertFailingFor  = Duration(time.Hour)
	DefaultChannelDailyCap  = 20
)

// Alert is one [[alert]] rule. Which keys apply depends on Kind; a key
// that does not apply is an error.
type Alert struct {
	Name    string `toml:"name"`    // required, unique
	Kind    string `toml:"kind"`    // one of AlertKinds
	Brand   string `toml:"brand"`   // spike, negative_surge (default the own brand); competitor ("" = every competitor); query (optional filter)
	Network string `toml:"network"` // optional: one network only

	// Spike, negative_surge and competitor spike.
	Window        Duration `toml:"window"`         // sliding window, default 1h
	BaselineWeeks int      `toml:"baseline_weeks"` // same hour-of-week over this many weeks, default 4
	MinHistory    Duration `toml:"min_history"`    // collection age before it may fire, default 14d
	Sigma         float64  `toml:"sigma"`          // threshold above the baseline mean in σ
	MinCount      int      `toml:"min_count"`      // minimum mentions (negative ones for negative_surge) in the window
	MinShare      float64  `toml:"min_share"`      // negative_surge: minimum negative share of the window, 0–1

	// Query.
	Query           string `toml:"query"`
	MinFollowers    int64  `toml:"min_followers"`
	MinInteractions int64  `toml:"min_interactions"`

	// Competitor.
	Trigger string `toml:"trigger"` // owned (default) | spike

	// Source.
	Source     string   `toml:"source"`      // a source name; "" = every source
	SilentFor  Duration `toml:"silent_for"`  // no new mention for this long, default 24h
	FailingFor Duration `toml:"failing_for"` // every fetch failing for this long, default 1h

	Cooldown Duration `toml:"cooldown"` // per rule × brand × network, default 2h
	Ended    bool     `toml:"ended"`    // send an "ended" notice when a spike subsides
	Channels []string `toml:"channels"` // [[alert_channel]] names, at least one

	Parsed query.Node `toml:"-"` // Query, parsed
}

// AlertChannel is one [[alert_channel]]: where alerts go, in which
// language, when not (quiet hours) and how many a day.
type AlertChannel struct {
	Name string   `toml:"name"`
	Type string   `toml:"type"` // one of ChannelTypes
	To   []string `toml:"to"`   // email: addresses
	// URL is a webhook's address; URLEnv names the environment variable
	// holding it instead (required for Slack: its URL is the secret).
	URL    string `toml:"url"`
	URLEnv string `toml:"url_env"`
	// SecretEnv names the environment variable holding the webhook's
	// HMAC-SHA256 key (required for webhooks).
	SecretEnv string `toml:"secret_env"`
	Lang      string `toml:"lang"` // en (default) | ko
	// QuietHours is "22:00-07:00" in earshot.timezone: alerts due then are
	// held and sent as one message when it ends.
	QuietHours string `toml:"quiet_hours"`
	DailyCap   int    `toml:"daily_cap"` // alerts per local day, default 20; the rest are recorded as suppressed

	Secret     string `toml:"-"` // resolved from SecretEnv
	Target     string `toml:"-"` // URL or the value of URLEnv
	QuietFrom  int    `toml:"-"` // minutes after midnight; QuietFrom == QuietTo: none
	QuietUntil int    `toml:"-"`
}

// Quiet reports whether t (in loc) falls in the channel's quiet hours.
func (ch AlertChannel) Quiet(t time.Time, loc *time.Location) bool {
	if ch.QuietFrom == ch.QuietUntil {
		return false
	}
	lt := t.In(loc)
	m := lt.Hour()*60 + lt.Minute()
	if ch.QuietFrom < ch.QuietUntil {
		return m >= ch.QuietFrom && m < ch.QuietUntil
	}
	return m >= ch.QuietFrom || m < ch.QuietUntil
}

// alertKeys says which optional keys apply to which kinds.
var alertKeys = map[string][]string{
	"brand":            {AlertSpike, AlertNegativeSurge, AlertCompetitor, AlertQuery},
	"network":          {AlertSpike, AlertNegativeSurge, AlertCompetitor, AlertQuery},
	"window":           {AlertSpike, AlertNegativeSurge, AlertCompetitor},
	"baseline_weeks":   {AlertSpike, AlertNegativeSurge, AlertCompetitor},
	"min_history":      {AlertSpike, AlertNegativeSurge, AlertCompetitor},
	"sigma":            {AlertSpike, AlertNegativeSurge, AlertCompetitor},
	"min_count":        {AlertSpike, AlertNegativeSurge, AlertCompetitor},
	"min_share":        {AlertNegativeSurge},
	"query":            {AlertQuery},
	"min_followers":    {AlertQuery},
	"min_interactions": {AlertQuery},
	"trigger":          {AlertCompetitor},
	"source":           {AlertSource},
	"silent_for":       {AlertSource},
	"failing_for":      {AlertSource},
	"ended":            {AlertSpike, AlertNegativeSurge, AlertCompetitor},
}

// alerts validates [[alert_channel]] and [[alert]] tables and fills their
// defaults. It runs after brands and sources.
func (v *validator) alerts(as []Alert, chs []AlertChannel, brands []Brand, sources []Source) {
	c := v.c
	chNames := map[string]int{}
	for i := range chs {
		v.alertChannel(&chs[i], indexKey("alert_channel", i), chNames, i)
	}
	names := map[string]int{}
	for i := range as {
		a := &as[i]
		ap := indexKey("alert", i)
		a.Name = strings.TrimSpace(a.Name)
		switch {
		case c.failed(ap + ".name"):
		case a.Name == "":
			c.at(ap, "an alert needs name")
		case checkText(a.Name) != nil:
			c.at(ap+".name", "alert name %v", checkText(a.Name))
		default:
			if first, dup := names[fold(a.Name)]; dup {
				c.at(ap+".name", "duplicate alert name %q (first defined at line %d)", a.Name, c.ix.lookup(indexKey("alert", first)+".name").line)
			}
			names[fold(a.Name)] = i
		}
		if !slices.Contains(AlertKinds, a.Kind) {
			if !c.failed(ap + ".kind") {
				if a.Kind == "" {
					c.at(ap, "an alert needs kind: one of %s", strings.Join(AlertKinds, ", "))
				} else {
					c.at(ap+".kind", "unknown alert kind %q: want one of %s", truncate(a.Kind, 30), strings.Join(AlertKinds, ", "))
				}
			}
			continue
		}
		for k, kinds := range alertKeys {
			if c.ix.has(ap+"."+k) && !slices.Contains(kinds, a.Kind) {
				c.at(ap+"."+k, "%q does not apply to %s alerts", k, a.Kind)
			}
		}
		v.alertTarget(a, ap, brands, sources)
		v.alertThresholds(a, ap)
		if len(a.Channels) == 0 && !c.failed(ap+".channels") {
			c.at(ap, "an alert needs channels: names of [[alert_channel]] tables")
		}
		for j, n := range a.Channels {
			if _, ok := chNames[fold(n)]; !ok {
				c.at(indexKey(ap+".channels", j), "unknown alert channel %q", truncate(n, 40))
			} else {
				a.Channels[j] = chs[chNames[fold(n)]].Name
			}
		}
	}
}

// alertTarget checks what the rule watches: brand, network, query, source.
func (v *validator) alertTarget(a *Alert, ap string, brands []Brand, sources []Source) {
	c := v.c
	if a.Brand = strings.TrimSpace(a.Brand); a.Brand != "" {
		j := slices.IndexFunc(brands, func(b Brand) bool { return fold(b.Name) == fold(a.Brand) })
		switch {
		case j < 0:
			c.at(ap+".brand", "unknown brand %q", truncate(a.Brand, 40))
		case a.Kind == AlertCompetitor && brands[j].Own:
			c.at(ap+".brand", "%q is the own brand: a competitor alert watches a competitor", brands[j].Name)
		default:
			a.Brand = brands[j].Name
		}
	} else if a.Kind == AlertSpike || a.Kind == AlertNegativeSurge {
		for _, b := range brands {
			if b.Own {
				a.Brand = b.Name
			}
		}
	}
	if a.Network != "" && !slices.Contains(NetworkNames(), a.Network) {
		c.at(ap+".network", "unknown network %q: want one of %s", truncate(a.Network, 40), strings.Join(NetworkNames(), ", "))
	}
	switch a.Kind {
	case AlertQuery:
		qp := ap + ".query"
		switch {
		case c.failed(qp):
		case strings.TrimSpace(a.Query) == "":
			c.at(ap, "a query alert needs query")
		default:
			a.Parsed = v.parseQuery(qp, a.Query)
		}
		if a.MinFollowers < 0 {
			c.at(ap+".min_followers", "min_followers %d must be at least 0", a.MinFollowers)
		}
		if a.MinInteractions < 0 {
			c.at(ap+".min_interactions", "min_interactions %d must be at least 0", a.MinInteractions)
		}
	case AlertCompetitor:
		if a.Trigger == "" {
			a.Trigger = CompetitorOwned
		} else if a.Trigger != CompetitorOwned && a.Trigger != CompetitorSpike {
			c.at(ap+".trigger", "unknown trigger %q: want owned or spike", truncate(a.Trigger, 20))
		}
	case AlertSource:
		if a.Source != "" && !slices.ContainsFunc(sources, func(s Source) bool { return s.Name == a.Source }) {
			c.at(ap+".source", "unknown source %q", truncate(a.Source, 40))
		}
		if a.SilentFor == 0 && !c.ix.has(ap+".silent_for") {
			a.SilentFor = DefaultAlertSilentFor
		}
		if a.FailingFor == 0 && !c.ix.has(ap+".failing_for") {
			a.FailingFor = DefaultAlertFailingFor
		}
		for k, d := range map[string]Duration{"silent_for": a.SilentFor, "failing_for": a.FailingFor} {
			if d.Std() < time.Minute && !c.failed(ap+"."+k) {
				c.at(ap+"."+k, "%s %s is under the minimum of 1m", k, fmtDuration(d.Std()))
			}
		}
	}
}

// alertThresholds fills and checks the window, baseline and threshold keys.
func (v *validator) alertThresholds(a *Alert, ap string) {
	c := v.c
	if a.Cooldown == 0 && !c.ix.has(ap+".cooldown") {
		a.Cooldown = DefaultAlertCooldown
	} else if a.Cooldown < 0 {
		c.at(ap+".cooldown", "cooldown must not be negative")
	}
	if a.Kind != AlertSpike && a.Kind != AlertNegativeSurge && (a.Kind != AlertCompetitor || a.Trigger != CompetitorSpike) {
		return
	}
	if a.Window == 0 && !c.ix.has(ap+".window") {
		a.Window = DefaultAlertWindow
	} else if a.Window.Std() < 10*time.Minute || a.Window.Std() > 24*time.Hour {
		c.at(ap+".window", "window %s must be from 10m to 24h", fmtDuration(a.Window.Std()))
	}
	if a.BaselineWeeks == 0 && !c.ix.has(ap+".baseline_weeks") {
		a.BaselineWeeks = DefaultAlertBaseline
	} else if a.BaselineWeeks < 2 || a.BaselineWeeks > 52 {
		c.at(ap+".baseline_weeks", "baseline_weeks %d must be from 2 to 52", a.BaselineWeeks)
	}
	if a.MinHistory == 0 && !c.ix.has(ap+".min_history") {
		a.MinHistory = DefaultAlertMinHistory
	} else if a.MinHistory.Std() < 7*24*time.Hour {
		c.at(ap+".min_history", "min_history %s is under the minimum of 7d: a seasonal baseline needs at least a week", fmtDuration(a.MinHistory.Std()))
	}
	if a.Sigma == 0 && !c.ix.has(ap+".sigma") {
		a.Sigma = DefaultAlertSigma
	} else if a.Sigma < 1 || a.Sigma > 20 {
		c.at(ap+".sigma", "sigma %g must be from 1 to 20", a.Sigma)
	}
	if a.MinCount == 0 && !c.ix.has(ap+".min_count") {
		a.MinCount = DefaultAlertMinCount
		if a.Kind == AlertNegativeSurge {
			a.MinCount = DefaultAlertMinNegCount
		}
	} else if a.MinCount < 1 {
		c.at(ap+".min_count", "min_count %d must be at least 1", a.MinCount)
	}
	if a.Kind == AlertNegativeSurge {
		if a.MinShare == 0 && !c.ix.has(ap+".min_share") {
			a.MinShare = DefaultAlertMinNegShare
		} else if a.MinShare < 0 || a.MinShare > 1 {
			c.at(ap+".min_share", "min_share %g must be from 0 to 1", a.MinShare)
		}
	}
}

// alertChannel checks one [[alert_channel]].
func (v *validator) alertChannel(ch *AlertChannel, p string, names map[string]int, i int) {
	c := v.c
	ch.Name = strings.TrimSpace(ch.Name)
	switch {
	case c.failed(p + ".name"):
	case ch.Name == "":
		c.at(p, "an alert channel needs name")
	default:
		if first, dup := names[fold(ch.Name)]; dup {
			c.at(p+".name", "duplicate alert channel name %q (first defined at line %d)", ch.Name, c.ix.lookup(indexKey("alert_channel", first)+".name").line)
		} else {
			names[fold(ch.Name)] = i
		}
	}
	switch ch.Lang {
	case "":
		ch.Lang = "en"
	case "en", "ko":
	default:
		c.at(p+".lang", "unknown language %q: want en or ko", truncate(ch.Lang, 10))
	}
	if ch.DailyCap == 0 && !c.ix.has(p+".daily_cap") {
		ch.DailyCap = DefaultChannelDailyCap
	} else if ch.DailyCap < 1 {
		c.at(p+".daily_cap", "daily_cap %d must be at least 1", ch.DailyCap)
	}
	if ch.QuietHours != "" {
		var h1, m1, h2, m2 int
		n, err := fmt.Sscanf(ch.QuietHours, "%d:%d-%d:%d", &h1, &m1, &h2, &m2)
		if err != nil || n != 4 || h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59 || h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0 {
			c.at(p+".quiet_hours", "invalid quiet_hours %q: want \"22:00-07:00\"", truncate(ch.QuietHours, 30))
		} else {
			ch.QuietFrom, ch.QuietUntil = h1*60+m1, h2*60+m2
		}
	}
	secret := func(key, env string) string {
		switch {
		case env == "":
			return ""
		case !validEnvName(env):
			c.at(p+"."+key, "invalid environment variable name %q: want letters, digits and _", truncate(env, 40))
			return ""
		}
		val := strings.TrimSpace(v.getenv(env))
		if val == "" {
			c.at(p+"."+key, "missing secret: environment variable %s named by %s is not set", env, key)
		}
		return val
	}
	only := func(keys ...string) {
		for _, k := range []string{"to", "url", "url_env", "secret_env"} {
			if c.ix.has(p+"."+k) && !slices.Contains(keys, k) {
				c.at(p+"."+k, "%q does not apply to %s channels", k, ch.Type)
			}
		}
	}
	switch ch.Type {
	case ChannelEmail:
		only("to")
		if len(ch.To) == 0 && !c.failed(p+".to") {
			c.at(p, "an email channel needs to: the recipients' addresses")
		}
		for j, s := range ch.To {
			if _, err := parseAddress(s); err != nil {
				c.at(indexKey(p+".to", j), "%v", err)
			}
		}
	case ChannelSlack:
		only("url_env")
		if ch.URLEnv == "" {
			c.at(p, "a slack channel needs url_env: the environment variable holding the incoming-webhook URL")
		} else if ch.Target = secret("url_env", ch.URLEnv); ch.Target != "" {
			if err := checkURL(ch.Target); err != nil {
				c.at(p+".url_env", "%s holds %v", ch.URLEnv, err)
			}
		}
	case ChannelWebhook:
		only("url", "url_env", "secret_env")
		switch {
		case ch.URL != "" && ch.URLEnv != "":
			c.at(p+".url_env", "give url or url_env, not both")
		case ch.URL != "":
			if err := checkURL(ch.URL); err != nil {
				c.at(p+".url", "%v", err)
			}
			ch.Target = ch.URL
		case ch.URLEnv != "":
			ch.Target = secret("url_env", ch.URLEnv)
		default:
			c.at(p, "a webhook channel needs url or url_env")
		}
		if ch.SecretEnv == "" {
			c.at(p, "a webhook channel needs secret_env: the environment variable holding the HMAC-SHA256 key")
		} else {
			ch.Secret = secret("secret_env", ch.SecretEnv)
		}
	default:
		if !c.failed(p + ".type") {
			c.at(p+".type", "unknown channel type %q: want one of %s", truncate(ch.Type, 20), strings.Join(ChannelTypes, ", "))
		}
	}
}
