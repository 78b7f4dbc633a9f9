package sentiment

import (
	"crypto/sha256"
	_ "embed"
	"fmt"

	"github.com/earshot/earshot/analysis/sentiment/internal/mlr"
)

// The learned models, written by scripts/train-sentiment (see package
// train and data/README.md).
var (
	//go:embed data/en.model.gz
	enModelBytes []byte
	//go:embed data/ko.model.gz
	koModelBytes []byte
)

// Models are model files to use instead of the embedded ones (the trainer
// measures candidates through the same Analyze path the product uses).
type Models struct {
	EN, KO []byte
}

func (a *Analyzer) loadModels(opts Options) error {
	en, ko := opts.Models.EN, opts.Models.KO
	var err error
	if en == nil {
		if en, err = decompressModel(enModelBytes, "en"); err != nil {
			return err
		}
	}
	if ko == nil {
		if ko, err = decompressModel(koModelBytes, "ko"); err != nil {
			return err
		}
	}
	if a.enModel, err = decodeModel(en, "en"); err != nil {
		return err
	}
	if a.koModel, err = decodeModel(ko, "ko"); err != nil {
		return err
	}
	if a.enModel.Bits != a.koModel.Bits {
		return fmt.Errorf("sentiment models: en has %d hash bits, ko %d; want the same", a.enModel.Bits, a.koModel.Bits)
	}
	bits := a.enModel.Bits
	a.pool.New = func() any { return newFeaturizer(bits) }
	a.version = ModelVersion(en, ko)
	return nil
}

func decodeModel(b []byte, lang string) (*mlr.Model, error) {
	m, err := mlr.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s sentiment model: %w", lang, err)
	}
	if m.Lang != lang {
		return nil, fmt.Errorf("%s sentiment model: file is for %q", lang, m.Lang)
	}
	if m.FeatVersion != featureVersion {
		return nil, fmt.Errorf("%s sentiment model: trained with feature version %d, this build extracts %d: retrain", lang, m.FeatVersion, featureVersion)
	}
	return m, nil
}

// ModelVersion names a pair of model files: "m", the feature version, and
// the first 8 hex digits of the SHA-256 of both (not a CRC: each file ends
// with its own CRC-32, and the CRC of such a file is a constant).
// Each stored mention records the version that scored it, so an upgrade
// knows which mentions to re-score.
func ModelVersion(en, ko []byte) string {
	h := sha256.New()
	h.Write(en)
	h.Write(ko)
	return fmt.Sprintf("m%d-%x", featureVersion, h.Sum(nil)[:4])
}

// Version is the version of the analyzer's models (see ModelVersion).
func (a *Analyzer) Version() string { return a.version }
