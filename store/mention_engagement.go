package store

import (
	"encoding/json"

	"github.com/earshot/earshot/config"
)

// DeriveEngagement sets EngagementTotal (interactions) and Exposure from
// Engagement with the networks table's classes (config.ClassifyEngagement).
// A mention without Engagement keeps its EngagementTotal (negative read as
// 0) and Exposure as given. Commit and every decode call it; so does the
// engagement refresh after it replaces Engagement.
func (m *Mention) DeriveEngagement() {
	if len(m.Engagement) == 0 {
		m.EngagementTotal = max(m.EngagementTotal, 0)
		if m.Exposure != nil && *m.Exposure < 0 {
			m.Exposure = nil
		}
		return
	}
	s := config.ClassifyEngagement(m.Network, m.Engagement)
	m.EngagementTotal, m.Exposure = s.Interactions, nil
	if s.ExposureKnown {
		e := s.Exposure
		m.Exposure = &e
	}
}

// UnmarshalJSON decodes a stored mention and re-derives its interactions
// and exposure, so records written before the split read like new ones.
func (m *Mention) UnmarshalJSON(b []byte) error {
	type plain Mention // without this method
	if err := json.Unmarshal(b, (*plain)(m)); err != nil {
		return err
	}
	m.DeriveEngagement()
	return nil
}
