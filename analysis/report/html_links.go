package report

// htmlTable is a table whose cells link to the search behind them.
type htmlTable struct {
	Title   string
	Formula []string
	Head    []string
	Rows    [][]htmlCell
	// ID anchors the table's heading; RowClass, when set, styles each row
	// (white space rows are highlighted).
	ID       string
	RowClass []string
	// Open tables are shown; the others are each behind a disclosure
	// (the page is a dashboard: findings, bars, charts and the gap tables
	// first, the detail a click away).
	Open bool
	// Keys is how many leading columns name the row (network, brand…): on
	// a phone each row becomes a card headed by them.
	Keys int
}

// htmlCell is one printed figure and the search showing the mentions it
// counts ("" when the cell is a label or a figure no search can show).
type htmlCell struct {
	Text string
	Href string
}

// voiceLinks maps the share-of-voice columns to the mentions they count:
// a brand's mentions by others in the window, or those with a label.
var voiceLinks = map[string][]string{
	"mentions": nil, "SOV %": nil,
	"pos": {"positive"}, "neu": {"neutral"}, "neg": {"negative"},
	"net": {"positive", "negative"}, // net sentiment counts labelled positive and negative mentions
}

// linkTables pairs every table cell with its search link (figureQuery,
// SpikeDay.Search and the emerging terms' own links).
func linkTables(r *Report, ts []table) []htmlTable {
	out := make([]htmlTable, 0, len(ts))
	for _, t := range ts {
		ht := htmlTable{Title: t.Title, Formula: t.Formula, Head: t.Head, Keys: t.Keys}
		for i, row := range t.Rows {
			cells := make([]htmlCell, len(row))
			for j, text := range row {
				cells[j] = htmlCell{Text: text, Href: cellLink(r, t, i, j)}
			}
			ht.Rows = append(ht.Rows, cells)
		}
		out = append(out, ht)
	}
	return out
}

// cellLink is the search behind cell (i, j) of t, "" when none.
func cellLink(r *Report, t table, i, j int) string {
	if j >= len(t.Head) || j < t.Keys {
		return ""
	}
	col, row := t.Head[j], t.Rows[i]
	switch t.Title {
	case voiceTitle:
		if s, ok := voiceLinks[col]; ok && len(row) >= 2 {
			return figureQuery(r.Meta, row[0], row[1], s...).URL()
		}
	case spikeTitle:
		if col == "mentions" && i < len(r.Spikes.Spikes) {
			return r.Spikes.Spikes[i].Search
		}
	case emergingTitle:
		if col == "count" && len(row) >= 2 {
			for _, b := range r.Emerging.Brands {
				for _, e := range b.Terms {
					if b.Brand == row[0] && e.Term == row[1] {
						return e.Search
					}
				}
			}
		}
	}
	return moreLinks(r, t, i, j)
}

// The titles of the tables whose cells link (TestFigureLinkTitles holds
// them to tables()).
const (
	voiceTitle    = "Share of voice, sentiment and owned posts"
	spikeTitle    = "Spikes"
	emergingTitle = "Emerging terms"
	coverageTitle = "Coverage and calls"
	careTitle     = "Customer care"
	topicsTitle   = "Topics"
	goalsTitle    = "Goals"
	trendTitle    = "Weekly net sentiment"

	langsTitle       = "Languages"
	hourTitle        = "Hour of week (mentions, local time)"
	voicesTitle      = "Top voices"
	sitesTitle       = "Top sites (news and web)"
	linkDomainsTitle = "Top link domains"
)
