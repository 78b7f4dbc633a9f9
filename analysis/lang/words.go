package lang

// englishWords are frequent English function words and social-media
// staples. Words that are just as common in another Latin-script language
// ("a", "in", "die", "son") are left out of both lists.
var englishWords = set(`the of and to is it that for you was with on as have be at this are but
not they his from or had by an were what all we when your can said there use each which she do how
their if will up other about out many then them these so some her would make like him into time has
look two more write go see no way could people my than first been call who its now find long down
day did get come made may part i me just very really love hate good bad great best worst new
because why should would got too much does don't doesn't didn't i'm it's can't won't isn't aren't
wasn't i've you're they're we're lol omg thanks thank please our us any only also well even
never ever still after before over again off here where why while being those through`)

// foreignWords are frequent function words of French, Spanish, German,
// Italian, Portuguese and Dutch that are not English words.
var foreignWords = set(`le la les des du une est et pour pas que qui dans avec sur ce je vous nous très mais
ou où sont été être avoir cette ces mon ma mes son sa ses leur comme plus tout bien aussi
el los las del y es por para con una muy pero más como qué está este esta fue ser hay también
muy porque sobre entre cuando todo yo tu mi lo le se al
der das und ist nicht ein eine mit sich auf für den dem des ich du wir ihr sie es auch
aber wie noch nur oder wenn sehr schon kann sind haben werden über
il di che della per non sono gli nel alla anche questo questa ma molto ho hai più
não uma os das dos em mais foi muito também isso ele ela você
het een van en niet op te zijn voor met maar ook dat wat er ik je wij zij`)

func set(s string) map[string]bool {
	m := map[string]bool{}
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' || s[i] == '\n' || s[i] == '\t' {
			if start >= 0 {
				m[s[start:i]] = true
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	return m
}

func init() {
	for w := range englishWords {
		delete(foreignWords, w)
	}
}
