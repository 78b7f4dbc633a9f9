package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/earshot/earshot/analysis/sentiment/internal/komodel"
	"github.com/rs/zerolog"
)

// Options control training. The zero value of each field means its default.
type Options struct {
	Bits         uint8   // hash buckets 1<<Bits; default 20 (2 MiB model)
	Epochs       int     // passes over the data; default 5
	LearningRate float64 // AdaGrad base rate; default 0.03
	L2           float64 // weight decay per update of a feature; default 1e-6
	Seed         uint64  // shuffling seed; default 1
	Logger       zerolog.Logger
}

func (o *Options) defaults() {
	if o.Bits == 0 {
		o.Bits = 20
	}
	if o.Epochs == 0 {
		o.Epochs = 5
	}
	if o.LearningRate == 0 {
		o.LearningRate = 0.03
	}
	if o.L2 == 0 {
		o.L2 = 1e-6
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
}

// Stats describes a finished training run.
type Stats struct {
	Examples      int
	Features      int     // feature occurrences over all examples
	TrainAccuracy float64 // of the final model on the training data
	LogLoss       float64 // mean training log-loss in the last epoch
}

// Train fits a model and returns it in komodel's binary format.
func Train(ctx context.Context, ex []Example, opts Options) ([]byte, Stats, error) {
	opts.defaults()
	if opts.Bits < komodel.MinBits || opts.Bits > komodel.MaxBits {
		return nil, Stats{}, fmt.Errorf("bits %d out of range %d..%d", opts.Bits, komodel.MinBits, komodel.MaxBits)
	}
	if len(ex) == 0 {
		return nil, Stats{}, errors.New("no examples")
	}
	x := komodel.NewExtractor(opts.Bits)
	feats := make([][]uint32, len(ex))
	st := Stats{Examples: len(ex)}
	for i, e := range ex {
		if e.Label != 0 && e.Label != 1 {
			return nil, Stats{}, fmt.Errorf("example %d: label %d, want 0 or 1", i, e.Label)
		}
		feats[i] = append([]uint32(nil), x.Features(e.Text)...)
		st.Features += len(feats[i])
	}
	n := 1 << opts.Bits
	w := make([]float64, n)
	g2 := make([]float64, n) // AdaGrad: sum of squared gradients per weight
	var bias, biasG2 float64
	order := make([]int, len(ex))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x6b6f2d73656e74)) // "ko-sent"
	const eps = 1e-8
	for epoch := 0; epoch < opts.Epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return nil, Stats{}, err
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var loss float64
		for _, i := range order {
			z := bias
			for _, f := range feats[i] {
				z += w[f]
			}
			p := sigmoid(z)
			y := float64(ex[i].Label)
			loss += logLoss(p, y)
			g := p - y
			for _, f := range feats[i] {
				gf := float64(g + float64(opts.L2*w[f]))
				g2[f] += float64(gf * gf)
				w[f] -= float64(opts.LearningRate*gf) / (math.Sqrt(g2[f]) + eps)
			}
			biasG2 += float64(g * g)
			bias -= float64(opts.LearningRate*g) / (math.Sqrt(biasG2) + eps)
		}
		st.LogLoss = loss / float64(len(ex))
		opts.Logger.Info().Int("epoch", epoch+1).Float64("logloss", st.LogLoss).Msg("trained epoch")
	}
	m := &komodel.Model{Bits: opts.Bits, Bias: float32(bias), Weights: make([]float32, n)}
	for i, v := range w {
		m.Weights[i] = float32(v)
	}
	b, err := komodel.Encode(m)
	if err != nil {
		return nil, Stats{}, err
	}
	// Accuracy of the model as stored (quantised), not of the float64 weights.
	q, err := komodel.Decode(b)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("decode trained model: %w", err)
	}
	correct := 0
	for i, f := range feats {
		if (q.Logit(f) >= 0) == (ex[i].Label == 1) {
			correct++
		}
	}
	st.TrainAccuracy = float64(correct) / float64(len(ex))
	return b, st, nil
}

// Accuracy returns the share of examples a model in komodel format labels
// correctly (positive when P >= 0.5).
func Accuracy(model []byte, ex []Example) (float64, error) {
	m, err := komodel.Decode(model)
	if err != nil {
		return 0, err
	}
	if len(ex) == 0 {
		return 0, errors.New("no examples")
	}
	x := komodel.NewExtractor(m.Bits)
	correct := 0
	for _, e := range ex {
		if (m.Logit(x.Features(e.Text)) >= 0) == (e.Label == 1) {
			correct++
		}
	}
	return float64(correct) / float64(len(ex)), nil
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

func logLoss(p, y float64) float64 {
	const tiny = 1e-12
	if y == 1 {
		return -math.Log(max(p, tiny))
	}
	return -math.Log(max(1-p, tiny))
}
