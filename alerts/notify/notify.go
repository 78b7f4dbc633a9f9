// Package notify is what every alert channel shares: the Alert as channels
// and the webhook's JSON body carry it (its shape is the AlertPayload
// schema in web/ui/openapi.json), the rendered Message, the Notifier
// interface each channel package implements (email, slack, webhook), and
// the error that says whether retrying can help.
package notify

import (
	"context"
	"errors"
	"time"
)

// Alert states.
const (
	StateFiring = "firing"
	StateEnded  = "ended"
)

// Alert is one decided alert: what fired, its numbers against the
// baseline and the evidence. Numbers a rule kind does not have are null.
type Alert struct {
	ID      string    `json:"id"` // stable: the idempotency key of each delivery starts with it
	Rule    string    `json:"rule"`
	Kind    string    `json:"kind"` // config.AlertKinds
	State   string    `json:"state"`
	Brand   string    `json:"brand,omitempty"`
	Network string    `json:"network,omitempty"` // "" = every network
	Source  string    `json:"source,omitempty"`  // source alerts
	At      time.Time `json:"at"`                // when it was decided
	// From and To bound the window counted (spike, negative_surge,
	// competitor spike).
	From *time.Time `json:"window_from,omitempty"`
	To   *time.Time `json:"window_to,omitempty"`
	// Count is the window's mentions (negative ones for negative_surge);
	// Mean and StdDev are those of the same window in each of Weeks
	// earlier weeks; Threshold = Mean + sigma × max(StdDev, √Mean, 1).
	Count     *int64   `json:"count,omitempty"`
	Mean      *float64 `json:"baseline_mean,omitempty"`
	StdDev    *float64 `json:"baseline_stddev,omitempty"`
	Threshold *float64 `json:"threshold,omitempty"`
	Weeks     int      `json:"baseline_weeks,omitempty"`
	// Share is the window's negative share (negative_surge), BaseShare the
	// baseline's.
	Share     *float64 `json:"negative_share,omitempty"`
	BaseShare *float64 `json:"baseline_negative_share,omitempty"`
	// Problem says what is wrong with a source ("failing since …").
	Problem string `json:"problem,omitempty"`
	// Posts are the mentions that fired a query or competitor-owned rule,
	// or the most engaged of a spike's window; Terms the words that rose.
	Posts []Post `json:"posts"`
	Terms []Term `json:"terms"`
	// Held counts the similar alerts the cooldown held back since the
	// previous one of the same rule × brand × network.
	Held int `json:"held,omitempty"`
	// Search and Report are absolute links to the evidence.
	Search string `json:"search_url,omitempty"`
	Report string `json:"report_url,omitempty"`
}

// Post is one mention behind an alert.
type Post struct {
	ID           string    `json:"id"`
	Network      string    `json:"network"`
	URL          string    `json:"url"`
	Title        string    `json:"title,omitempty"`
	Excerpt      string    `json:"excerpt"`
	Author       string    `json:"author,omitempty"`
	Followers    *int64    `json:"author_followers"` // null when the network does not say
	Interactions int64     `json:"interactions"`
	Published    time.Time `json:"published"`
}

// Term is a word that rose in the window, with the search that shows it.
type Term struct {
	Term   string `json:"term"`
	Count  int64  `json:"count"`
	Search string `json:"search_url,omitempty"`
}

// Message is one delivery: one alert, or several held by quiet hours and
// rolled into one, rendered in the channel's language.
type Message struct {
	Key     string    // idempotency key: the same on every retry and after a restart
	Lang    string    // en | ko
	Subject string    // one line
	Text    string    // plain-text body
	Alerts  []Alert   // what it reports, oldest first
	Links   []Link    // search and report links, in Text too
	Rollup  bool      // several alerts held by quiet hours
	Sent    time.Time // when this attempt was made
}

// Link is a labelled URL.
type Link struct {
	Label string
	URL   string
}

// Notifier delivers messages to one channel. Deliver must be safe to call
// again with the same Message (receivers deduplicate by Key).
type Notifier interface {
	Deliver(ctx context.Context, m *Message) (where string, err error)
}

// Error is a failed delivery; Permanent when retrying cannot help (a
// rejected request, a missing address).
type Error struct {
	Err       error
	Permanent bool
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// IsPermanent reports whether err says retrying cannot help.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent
}
