package listener

import "errors"

// Warning is what a fetch wants the user to see that is not a failure:
// items a per-poll cap left for the next fetch. A Source returns it in its
// error (alone, or among failures in an errors.Join); the scheduler shows
// it in the source's health without counting the fetch as failed.
type Warning struct{ Msg string }

func (w *Warning) Error() string { return w.Msg }

// SplitWarnings separates the Warnings in err (itself, or the leaves of an
// errors.Join tree) from the failures; failures is nil when err holds only
// warnings.
func SplitWarnings(err error) (warnings []string, failures error) {
	if err == nil {
		return nil, nil
	}
	if w, ok := err.(*Warning); ok {
		return []string{w.Msg}, nil
	}
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return nil, err
	}
	var fails []error
	for _, e := range j.Unwrap() {
		ws, f := SplitWarnings(e)
		warnings = append(warnings, ws...)
		if f != nil {
			fails = append(fails, f)
		}
	}
	return warnings, errors.Join(fails...)
}
