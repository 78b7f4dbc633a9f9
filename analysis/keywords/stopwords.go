package keywords

import "strings"

var englishStop = toSet(`a about above after again against all am an and any are as at be because been before being
below between both but by can did do does doing down during each few for from further had has have having he her
here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of
off on once only or other our ours ourselves out over own same she should so some such than that the their theirs
them themselves then there these they this those through to too under until up very was we were what when where
which while who whom why will with you your yours yourself yourselves thing things lot lots way today yesterday
tomorrow time times day days year years people guy guys stuff anything something everything nothing http https www com`)

var koreanStop = toSet(`그리고 그러나 그런데 하지만 그래서 또는 그냥 정말 진짜 너무 완전 아주 매우 이거 저거 그거 이것 저것 그것
여기 저기 거기 우리 저희 제가 내가 너가 니가 당신 이런 저런 그런 어떤 무슨 오늘 어제 내일 지금 이제 아직 하나 모든 있다
없다 했다 한다 하는 하고 해서 했는데 같다 같은 같아요 입니다 있어요 없어요 합니다 이번 다음 정도 때문 때문에 대한 통해
위해 것은 것이 것을 수도 좀 더 덜 많이 조금 아니 아니다 네 예 응`)

func toSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// IsStopword reports whether w (lower case; a Korean word without its
// particles) is an English or Korean stopword.
func IsStopword(w string) bool { return englishStop[w] || koreanStop[w] }
