package report

import "github.com/earshot/earshot/config"

// NetworkLabel is the name people read for a network row of a report:
// "All networks" for the row that adds them up, else the networks table's
// label ("Hacker News" for "hackernews").
func NetworkLabel(network string) string {
	if network == allNetworks {
		return "All networks"
	}
	return config.NetworkLabel(network)
}
