package sentiment

// Constants and word lists of VADER (Hutto & Gilbert 2014), as in upstream
// vaderSentiment.py 3.3.2.
const (
	bIncr   = 0.293 // booster word
	bDecr   = -0.293
	cIncr   = 0.733 // ALL CAPS emphasis
	nScalar = -0.74 // negation
	alpha   = 15    // compound normalisation
)

var negateWords = toSet(
	"aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
	"ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
	"dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
	"don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
	"neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
	"oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
	"oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
	"without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
)

var boosters = func() map[string]float64 {
	m := map[string]float64{}
	for _, w := range []string{"absolutely", "amazingly", "awfully", "completely", "considerable", "considerably",
		"decidedly", "deeply", "effing", "enormous", "enormously", "entirely", "especially", "exceptional",
		"exceptionally", "extreme", "extremely", "fabulously", "flipping", "flippin", "frackin", "fracking",
		"fricking", "frickin", "frigging", "friggin", "fully", "fuckin", "fucking", "fuggin", "fugging",
		"greatly", "hella", "highly", "hugely", "incredible", "incredibly", "intensely", "major", "majorly",
		"more", "most", "particularly", "purely", "quite", "really", "remarkably", "so", "substantially",
		"thoroughly", "total", "totally", "tremendous", "tremendously", "uber", "unbelievably", "unusually",
		"utter", "utterly", "very"} {
		m[w] = bIncr
	}
	for _, w := range []string{"almost", "barely", "hardly", "just enough", "kind of", "kinda", "kindof",
		"kind-of", "less", "little", "marginal", "marginally", "occasional", "occasionally", "partly",
		"scarce", "scarcely", "slight", "slightly", "somewhat", "sort of", "sorta", "sortof", "sort-of"} {
		m[w] = bDecr
	}
	return m
}()

// specialCases are idioms containing lexicon words whose meaning differs
// from their parts.
var specialCases = map[string]float64{
	"the shit": 3, "the bomb": 3, "bad ass": 1.5, "badass": 1.5, "bus stop": 0.0,
	"yeah right": -2, "kiss of death": -1.5, "to die for": 3,
	"beating heart": 3.1, "broken heart": -2.9,
}

func toSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}
