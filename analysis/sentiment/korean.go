package sentiment

import (
	_ "embed"
	"math"
	"sync"

	"github.com/earshot/earshot/analysis/sentiment/internal/komodel"
)

//go:embed data/ko.model
var koModelBytes []byte

// korean scores Korean text with the embedded logistic regression model.
type korean struct {
	model *komodel.Model
	pool  sync.Pool // *komodel.Extractor
}

func newKorean(b []byte) (*korean, error) {
	m, err := komodel.Decode(b)
	if err != nil {
		return nil, err
	}
	k := &korean{model: m}
	k.pool.New = func() any { return komodel.NewExtractor(m.Bits) }
	return k, nil
}

// logit returns the model's log-odds that text is positive.
func (k *korean) logit(text string) float64 {
	x := k.pool.Get().(*komodel.Extractor)
	z := k.model.Logit(x.Features(text))
	k.pool.Put(x)
	return z
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
