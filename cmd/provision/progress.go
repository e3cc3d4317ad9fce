package main

import (
	"fmt"
	"io"
	"time"
)

// progress prints the steps of a long command on w as they start, and how
// long each took when it ends, one line a step:
//
//	check the schemas (buf build, then the model) … 3.1s
//
// A nil *progress prints nothing.
type progress struct {
	w   io.Writer
	now func() time.Time
}

// newProgress returns a progress printing on w, or nil, which prints
// nothing, when quiet.
func newProgress(w io.Writer, quiet bool) *progress {
	if quiet {
		return nil
	}
	return &progress{w: w, now: time.Now}
}

// start prints step and returns the function that ends its line with the
// time it took, or with the time it failed after when err is not nil.
func (p *progress) start(step string) (done func(err error)) {
	if p == nil {
		return func(error) {}
	}
	fmt.Fprintf(p.w, "%s … ", step)
	began := p.now()
	return func(err error) {
		took := roundDuration(p.now().Sub(began))
		if err != nil {
			fmt.Fprintf(p.w, "failed after %s\n", took)
			return
		}
		fmt.Fprintf(p.w, "%s\n", took)
	}
}

// roundDuration rounds d for a person to read: to 0.1 s under a minute,
// to the second above.
func roundDuration(d time.Duration) time.Duration {
	if d < time.Minute {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}
