package sentiment

// Domain cues: the words and phrases that tell a complaint to a brand, a
// question, an announcement or news apart when the text carries no
// sentiment word ("my flight was cancelled", "40분째 대기 중"). Each group
// is one feature of the learned model, whose weight is learned; the lists
// only say which words belong together. One table per language; the
// feature extractors read nothing else.

// enCues maps a lower-case word to its cue group.
var enCues = func() map[string]string {
	m := map[string]string{}
	add := func(group string, words ...string) {
		for _, w := range words {
			m[w] = group
		}
	}
	add("cancel", "cancelled", "canceled", "cancellation", "cancellations", "cancel", "cancels", "cancelling")
	add("delay", "delayed", "delay", "delays", "late", "overdue", "stuck", "stranded", "rebook", "rebooked", "missed")
	add("wait", "waiting", "waited", "wait", "hold", "queue", "hours", "days", "weeks", "mins", "minutes", "hrs")
	add("money", "refund", "refunds", "refunded", "charged", "overcharged", "charge", "fee", "fees", "billing", "billed", "chargeback", "compensation", "voucher")
	add("outage", "outage", "outages", "down", "offline", "crash", "crashed", "crashes", "crashing", "error", "errors", "502", "500", "503", "504", "404", "bug", "bugs", "glitch", "broken", "unusable", "lag", "laggy", "freezes", "frozen", "unresponsive", "timeout", "timeouts")
	add("lost", "lost", "missing", "damaged", "stolen", "wrong", "never")
	add("again", "still", "again", "yet", "anymore", "repeatedly", "another")
	add("nobody", "nobody", "noone", "ignored", "ignoring", "unanswered", "ghosted", "hung", "disconnected", "transferred")
	add("care", "support", "service", "agent", "agents", "rep", "reps", "helpline", "dm", "dms", "ticket", "complaint", "escalate")
	add("ask", "why", "how", "when", "anyone", "what's", "whats", "where")
	add("news", "announces", "announced", "launches", "launched", "unveils", "unveiled", "reports", "reported", "quarter", "q1", "q2", "q3", "q4", "earnings", "revenue", "ceo", "acquires", "acquired", "partnership", "release", "released", "update", "available", "introducing", "shares", "stock", "percent", "according")
	add("thanks", "thanks", "thank", "thx", "ty", "appreciate", "appreciated", "kudos", "shoutout", "props")
	add("switch", "switched", "switching", "cancelling", "unsubscribed", "leaving", "left", "churn", "done")
	return m
}()

// enPhrases are two-word cues, keyed "first second".
var enPhrases = map[string]string{
	"on hold": "wait", "no one": "nobody", "not working": "outage", "doesn't work": "outage", "isn't working": "outage",
	"customer service": "care", "customer support": "care", "any update": "ask", "how long": "wait",
	"no response": "nobody", "no reply": "nobody", "no answer": "nobody", "still waiting": "wait",
	"great job": "sarcasm", "thanks for": "thanks", "so much": "intense", "not happy": "lost",
	"never again": "switch", "going back": "switch", "is down": "outage", "went down": "outage",
	"keeps crashing": "outage", "can't log": "outage", "cant log": "outage", "can't login": "outage",
}

// koCues maps a substring of a Korean word to its cue group: a word
// containing it counts once.
var koCues = []struct{ sub, group string }{
	{"환불", "money"}, {"결제", "money"}, {"요금", "money"}, {"청구", "money"}, {"보상", "money"},
	{"대기", "wait"}, {"분째", "wait"}, {"시간째", "wait"}, {"일째", "wait"}, {"기다", "wait"}, {"연락", "wait"},
	{"먹통", "outage"}, {"오류", "outage"}, {"에러", "outage"}, {"장애", "outage"}, {"튕", "outage"}, {"렉", "outage"}, {"버그", "outage"}, {"접속", "outage"}, {"고장", "outage"}, {"안됨", "outage"}, {"안돼", "outage"}, {"안되", "outage"}, {"끊", "outage"},
	{"지연", "delay"}, {"늦", "delay"}, {"결항", "cancel"}, {"취소", "cancel"}, {"해지", "switch"}, {"탈퇴", "switch"}, {"갈아", "switch"},
	{"고객센터", "care"}, {"상담", "care"}, {"문의", "care"}, {"답변", "care"}, {"응대", "care"}, {"서비스", "care"},
	{"아직도", "again"}, {"또", "again"}, {"계속", "again"}, {"매번", "again"}, {"언제", "ask"}, {"왜", "ask"}, {"어떻게", "ask"}, {"궁금", "ask"},
	{"불량", "lost"}, {"파손", "lost"}, {"누락", "lost"}, {"분실", "lost"}, {"교환", "lost"}, {"반품", "lost"},
	{"발표", "news"}, {"출시", "news"}, {"밝혔", "news"}, {"예정", "news"}, {"공개", "news"}, {"기자", "news"}, {"실적", "news"}, {"분기", "news"}, {"개최", "news"},
	{"선보", "news"}, {"체결", "news"}, {"공시", "news"}, {"억원", "news"}, {"전년", "news"}, {"매출", "news"}, {"영업이익", "news"}, {"진행한다", "news"}, {"안내", "news"}, {"이벤트", "news"}, {"업데이트", "news"}, {"점검", "news"},
	{"감사", "thanks"}, {"고마", "thanks"}, {"최고", "praise"}, {"추천", "praise"}, {"만족", "praise"}, {"짱", "praise"},
	{"ㅋㅋ", "laugh"}, {"ㅎㅎ", "laugh"}, {"ㅠㅠ", "cry"}, {"ㅜㅜ", "cry"}, {"ㅡㅡ", "annoyed"}, {";;", "annoyed"},
	{"보다", "compare"}, {"낫", "compare"},
}

// koNegators are words that negate the word after them (안 되는, 못 받았다).
var koNegators = map[string]bool{"안": true, "못": true, "안됨": true, "별로": true}

// koNegEndings are endings of a word that negate it (좋지 않다 is one
// word pair: 좋지 + 않다; 사지 않는 것을).
var koNegTails = []string{"않", "못", "없", "말"}
