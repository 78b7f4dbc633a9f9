package alerts

import (
	"fmt"
	"net/http"
	"time"

	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/alerts/notify/email"
	"github.com/earshot/earshot/alerts/notify/slack"
	"github.com/earshot/earshot/alerts/notify/webhook"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/digest"
	"github.com/earshot/earshot/query"
)

// rule is one compiled [[alert]].
type rule struct {
	config.Alert
	match *query.Compiled // query rules
}

// channel is one [[alert_channel]] with its notifier.
type channel struct {
	config.AlertChannel
	n notify.Notifier
}

// ruleSet is everything one config says about alerts; Engine swaps it
// whole on a reload.
type ruleSet struct {
	cfg      *config.Config
	rules    []*rule
	channels map[string]*channel
	own      string // the own brand
	loc      *time.Location
	base     string // digest.base_url: links in alerts start with it
}

// Deps are what notifiers need from outside: the HTTP client (with a
// timeout) and the mailer (nil: the digest's SMTP, or its outbox without
// smtp_host).
type Deps struct {
	Client  *http.Client
	Mailer  digest.Mailer
	DataDir string
	UA      string
}

// compile builds the rule set of cfg.
func compile(cfg *config.Config, d Deps) (*ruleSet, error) {
	rs := &ruleSet{cfg: cfg, channels: map[string]*channel{}, loc: cfg.Earshot.Location, base: cfg.Digest.BaseURL}
	if rs.loc == nil {
		rs.loc = time.UTC
	}
	for _, b := range cfg.Brands {
		if b.Own {
			rs.own = b.Name
		}
	}
	for _, c := range cfg.AlertChannels {
		n, err := notifier(cfg, c, d)
		if err != nil {
			return nil, fmt.Errorf("alert channel %q: %w", c.Name, err)
		}
		rs.channels[c.Name] = &channel{AlertChannel: c, n: n}
	}
	for _, a := range cfg.Alerts {
		r := &rule{Alert: a}
		if a.Kind == config.AlertQuery && a.Parsed != nil {
			m, err := query.Compile(a.Parsed)
			if err != nil {
				return nil, fmt.Errorf("alert %q: %w", a.Name, err)
			}
			r.match = m
		}
		rs.rules = append(rs.rules, r)
	}
	return rs, nil
}

// notifier builds the channel's notifier.
func notifier(cfg *config.Config, c config.AlertChannel, d Deps) (notify.Notifier, error) {
	switch c.Type {
	case config.ChannelEmail:
		m := d.Mailer
		if m == nil {
			if cfg.Digest.SMTPHost == "" {
				m = &digest.Outbox{Dir: digest.OutboxDir(d.DataDir)}
			} else {
				s, err := digest.NewSMTP(digest.SMTPOptionsFrom(cfg.Digest))
				if err != nil {
					return nil, err
				}
				m = s
			}
		}
		return &email.Email{From: cfg.Digest.From, To: c.To, Mailer: m}, nil
	case config.ChannelSlack:
		return &slack.Slack{URL: c.Target, Client: d.Client}, nil
	case config.ChannelWebhook:
		return &webhook.Webhook{URL: c.Target, Secret: []byte(c.Secret), Client: d.Client, UA: d.UA}, nil
	}
	return nil, fmt.Errorf("unknown channel type %q", c.Type)
}

// rule returns the named rule, nil when none.
func (rs *ruleSet) rule(name string) *rule {
	for _, r := range rs.rules {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// spiky reports whether r counts windows against a baseline.
func (r *rule) spiky() bool {
	return r.Kind == config.AlertSpike || r.Kind == config.AlertNegativeSurge ||
		(r.Kind == config.AlertCompetitor && r.Trigger == config.CompetitorSpike)
}
