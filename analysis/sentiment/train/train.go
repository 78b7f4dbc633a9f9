package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/earshot/earshot/analysis/sentiment/internal/mlr"
	"github.com/rs/zerolog"
)

// Options control training. The zero value of each field means its default.
type Options struct {
	Lang         string  // "en" or "ko"
	Bits         uint8   // hash buckets 1<<Bits; default 20
	Epochs       int     // passes over the data; default 4 (en), 8 (ko)
	LearningRate float64 // AdaGrad base rate; default 0.05 (en), 0.02 (ko)
	L2           float64 // weight decay per update of a feature; default 1e-6
	// ClassWeightCap bounds the weight that balances a rare class
	// (total/(3·count), so Korean's few neutral rows do not dominate);
	// default 4.
	ClassWeightCap float64
	Seed           uint64 // shuffling seed; default 1
	Logger         zerolog.Logger
}

func (o *Options) defaults() {
	if o.Bits == 0 {
		o.Bits = 20
	}
	// Chosen on the dev splits (mean per-source accuracy, as Calibrate):
	// 150,000 reviews take smaller steps for longer.
	if o.Epochs == 0 {
		o.Epochs = 4
		if o.Lang == "ko" {
			o.Epochs = 8
		}
	}
	if o.LearningRate == 0 {
		o.LearningRate = 0.05
		if o.Lang == "ko" {
			o.LearningRate = 0.02
		}
	}
	if o.L2 == 0 {
		o.L2 = 1e-6
	}
	if o.ClassWeightCap == 0 {
		o.ClassWeightCap = 4
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
}

// Vec is one example as the trainer sees it: features, class (mlr.Neg,
// mlr.Neu, mlr.Pos) and weight.
type Vec struct {
	Feats  []mlr.Feat
	Class  int
	Weight float64
	Source int // index of the source, for calibration
	// Compound is VADER's score of the text: the prior that Calibrate
	// weighs (training fits the rest without it).
	Compound float64
}

// Fit trains the uncalibrated model (temperature 1, band 0): multinomial
// logistic regression with AdaGrad SGD on one goroutine. The example
// order of every epoch comes from a PCG generator seeded with opts.Seed
// and every floating-point product is rounded explicitly (no fused
// multiply-add), so the same inputs give the same weights everywhere.
func Fit(ctx context.Context, data []Vec, opts Options) (*mlr.Model, error) {
	opts.defaults()
	if opts.Bits < mlr.MinBits || opts.Bits > mlr.MaxBits {
		return nil, fmt.Errorf("bits %d out of range %d..%d", opts.Bits, mlr.MinBits, mlr.MaxBits)
	}
	if len(data) == 0 {
		return nil, errors.New("no examples")
	}
	var count [mlr.K]float64
	var total float64
	for i, d := range data {
		if d.Class < 0 || d.Class >= mlr.K || !(d.Weight > 0) {
			return nil, fmt.Errorf("example %d: class %d weight %v", i, d.Class, d.Weight)
		}
		count[d.Class] += d.Weight
		total += d.Weight
	}
	var cw [mlr.K]float64
	for c := range cw {
		cw[c] = 1
		if count[c] > 0 {
			cw[c] = min(opts.ClassWeightCap, total/(mlr.K*count[c]))
		}
	}
	n := 1 << opts.Bits
	w := make([]float64, mlr.K*n)
	g2 := make([]float64, mlr.K*n)
	var bias, biasG2 [mlr.K]float64
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x73656e742d6d6c72)) // "sent-mlr"
	const eps = 1e-8
	lr := opts.LearningRate
	for epoch := 0; epoch < opts.Epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var loss, wsum float64
		for _, i := range order {
			d := data[i]
			z := bias
			for _, f := range d.Feats {
				v := float64(f.Val)
				k := mlr.K * int(f.Idx)
				z[0] += float64(v * w[k])
				z[1] += float64(v * w[k+1])
				z[2] += float64(v * w[k+2])
			}
			p := mlr.Softmax(z)
			sw := float64(d.Weight * cw[d.Class])
			loss += float64(-sw * math.Log(max(p[d.Class], 1e-12)))
			wsum += sw
			var g [mlr.K]float64
			for c := range g {
				y := 0.0
				if c == d.Class {
					y = 1
				}
				g[c] = float64(sw * (p[c] - y))
			}
			for _, f := range d.Feats {
				v := float64(f.Val)
				k := mlr.K * int(f.Idx)
				for c := 0; c < mlr.K; c++ {
					gf := float64(v*g[c]) + float64(opts.L2*w[k+c])
					g2[k+c] += float64(gf * gf)
					w[k+c] -= float64(lr*gf) / (math.Sqrt(g2[k+c]) + eps)
				}
			}
			for c := range bias {
				biasG2[c] += float64(g[c] * g[c])
				bias[c] -= float64(lr*g[c]) / (math.Sqrt(biasG2[c]) + eps)
			}
		}
		opts.Logger.Info().Str("lang", opts.Lang).Int("epoch", epoch+1).Float64("logloss", loss/wsum).Msg("trained epoch")
	}
	m := &mlr.Model{Lang: opts.Lang, Bits: opts.Bits, Temp: 1, W: make([]float32, len(w))}
	for c := range bias {
		m.Bias[c] = float32(bias[c])
	}
	for i, v := range w {
		m.W[i] = float32(v)
	}
	return m, nil
}

// Calibrate chooses, for each weight of the lexicon prior (0..6, step
// 0.5), the temperature (0.25..4, step 0.05) that minimises the log-loss on
// dev (each source weighing the same in total) and then the neutral band
// (0..0.9, step 0.01) that maximises the mean over sources of the 3-class
// accuracy on dev, and keeps the prior whose band reaches the highest: a large two-class
// corpus does not choose the band alone, and the band serves social posts
// (mostly polar tweets) and brand talk (many neutral questions and news)
// alike.
func Calibrate(m *mlr.Model, dev []Vec) error {
	if len(dev) == 0 {
		return errors.New("calibrate: no dev examples")
	}
	nSrc := 0
	for _, d := range dev {
		nSrc = max(nSrc, d.Source+1)
	}
	// perSrc[s] is the number of dev rows of source s over its weight:
	// each row counts 1/perSrc[s], each source its weight in total.
	perSrc := make([]float64, nSrc)
	for _, d := range dev {
		perSrc[d.Source]++
	}
	for s := range perSrc {
		if perSrc[s] > 0 {
			for _, d := range dev {
				if d.Source == s {
					perSrc[s] /= d.Weight
					break
				}
			}
		}
	}
	raw := make([][mlr.K]float64, len(dev))
	for i, d := range dev {
		raw[i] = m.Logits(d.Feats)
	}
	logits := make([][mlr.K]float64, len(dev))
	bestPrior, bestAll := 0.0, -1.0
	for prior := 0.0; prior <= 6.0001; prior += 0.5 {
		m.Prior = float32(prior)
		for i, d := range dev {
			logits[i] = m.AddPrior(raw[i], d.Compound)
		}
		if acc := calibrate(m, dev, logits, perSrc); acc > bestAll+1e-12 {
			bestPrior, bestAll = prior, acc
		}
	}
	m.Prior = float32(bestPrior)
	for i, d := range dev {
		logits[i] = m.AddPrior(raw[i], d.Compound)
	}
	calibrate(m, dev, logits, perSrc)
	return nil
}

// calibrate sets m's temperature and band for one prior weight and
// returns the mean per-source accuracy it reaches.
func calibrate(m *mlr.Model, dev []Vec, logits [][mlr.K]float64, perSrc []float64) float64 {
	bestT, bestLoss := 1.0, math.Inf(1)
	for t := 0.25; t <= 4.0001; t += 0.05 {
		var loss float64
		for i, d := range dev {
			z := logits[i]
			for c := range z {
				z[c] /= t
			}
			loss += -math.Log(max(mlr.Softmax(z)[d.Class], 1e-12)) / perSrc[d.Source]
		}
		if loss < bestLoss-1e-12 {
			bestT, bestLoss = t, loss
		}
	}
	m.Temp = float32(math.Round(bestT*100) / 100)
	scores := make([]float64, len(dev))
	for i := range dev {
		p := m.Probs(logits[i])
		scores[i] = p[mlr.Pos] - p[mlr.Neg]
	}
	bestB, bestAcc := 0.0, -1.0
	for b := 0.0; b <= 0.9001; b += 0.01 {
		var acc float64
		for i, d := range dev {
			if ClassOf(scores[i], b) == d.Class {
				acc += 1 / perSrc[d.Source]
			}
		}
		if acc > bestAcc+1e-12 {
			bestB, bestAcc = b, acc
		}
	}
	m.Band = float32(math.Round(bestB*100) / 100)
	return bestAcc
}

// ClassOf is the label rule of the product: positive when score >= band,
// negative when score <= -band, neutral between.
func ClassOf(score, band float64) int {
	switch {
	case score >= band:
		return mlr.Pos
	case score <= -band:
		return mlr.Neg
	}
	return mlr.Neu
}

// MacroF1 is the mean over the three classes of F1 (a class never
// predicted or never present scores 0) on a confusion matrix indexed
// [gold][predicted].
func MacroF1(conf [mlr.K][mlr.K]float64) float64 {
	var sum float64
	for c := 0; c < mlr.K; c++ {
		var pred, gold float64
		for k := 0; k < mlr.K; k++ {
			pred += conf[k][c]
			gold += conf[c][k]
		}
		if pred == 0 || gold == 0 {
			continue
		}
		p, r := conf[c][c]/pred, conf[c][c]/gold
		if p+r > 0 {
			sum += 2 * p * r / (p + r)
		}
	}
	return sum / mlr.K
}
