package config

import "math"

// EngagementClass says what one of a network's engagement counts measures.
type EngagementClass string

// Engagement classes: an interaction is something a person did with the
// post (like, repost or boost, reply or comment, quote, bookmark, vote
// score); exposure is how often it was shown or played (views,
// impressions, plays). Reports rank and share by interactions; exposure is
// its own figure, where a network gives it.
const (
	Interaction EngagementClass = "interaction"
	Exposure    EngagementClass = "exposure"
)

// EngagementSplit is a post's counts split by class.
type EngagementSplit struct {
	Interactions int64 // Σ interaction counts (each at least 0, saturating)
	// Exposure is Σ exposure counts; ExposureKnown is false when the post
	// carries none (the network gives none, or not for this post).
	Exposure      int64
	ExposureKnown bool
	// Unknown are the keys the networks table does not classify: counted
	// in neither class (a recorded fake emitting one fails a test).
	Unknown []string
}

// ClassifyEngagement splits the engagement counts of a post on network by
// the network's row of the networks table (Network.Engagement). Negative
// counts (a down-voted score) count as 0.
func ClassifyEngagement(network string, counts map[string]int64) EngagementSplit {
	var s EngagementSplit
	if len(counts) == 0 {
		return s
	}
	row, _ := LookupNetwork(network)
	for k, v := range counts {
		switch row.Engagement[k] {
		case Interaction:
			s.Interactions = addCount(s.Interactions, v)
		case Exposure:
			s.Exposure, s.ExposureKnown = addCount(s.Exposure, v), true
		default:
			s.Unknown = append(s.Unknown, k)
		}
	}
	return s
}

// addCount adds max(v, 0) to sum, saturating at MaxInt64.
func addCount(sum, v int64) int64 {
	if v <= 0 {
		return sum
	}
	if sum > math.MaxInt64-v {
		return math.MaxInt64
	}
	return sum + v
}
