package impl

import (
	crand "crypto/rand"
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
)

// Differential-privacy noise: the DpNoise redaction strategy.
//
// # Why not the textbook sampler
//
// The textbook Laplace mechanism returns x + λ·ln(U)·(±1) computed in
// floating point, λ = sensitivity/ε. Mironov ("On significance of the least
// significant bits for differential privacy", CCS 2012) showed that this
// breaks differential privacy completely: floating-point numbers are not
// evenly spaced, so the set of outputs the sampler can produce depends on
// x, and a single output often tells which of two neighbouring inputs was
// used. Rounding or clamping after the fact does not repair it.
//
// # What is done instead
//
// Both mechanisms here add noise drawn exactly from a discrete Laplace
// distribution, P(k) ∝ exp(−|k|·s/t) over the integers, with the sampler of
// Canonne, Kamath and Steinke ("The Discrete Gaussian for Differential
// Privacy", NeurIPS 2020, Algorithms 1 and 2). It uses only uniform
// integers and integer comparisons — no logarithm, no floating point — so
// the probabilities are exact, not approximations whose rounding errors an
// attacker could exploit.
//
//   - Geometric (integer fields) is the two-sided geometric mechanism of
//     Ghosh, Roughgarden and Sundararajan: x + k, with P(k) ∝ α^|k|,
//     α ≤ exp(−ε/⌈sensitivity⌉).
//   - Laplace (floating-point fields) works on a grid of spacing g, the
//     largest power of two not above sensitivity·2^-24 (the approach of
//     Google's "Secure Noise Generation", 2020). The input is rounded to the
//     grid, integer noise k is added in grid units, and the result n·g is
//     converted to float64. Every output is a multiple of g whatever the
//     input, so the set of possible outputs no longer depends on x; the
//     only floating-point step acts on the already-private n, which is
//     post-processing and cannot weaken the guarantee.
//
// Rounding to the grid can move neighbouring inputs one grid step further
// apart, so the sensitivity in grid units is taken as ⌊sensitivity/g⌋+1 and
// the rate s/t is rounded down: the privacy loss is at most ε, exactly, and
// the noise is larger than λ by a relative 2^-24 or less.
//
// Randomness comes from crypto/rand. WithRandomSource replaces it for
// reproducible tests only: a predictable source voids the guarantee.
//
// The samplers' running time varies with the random draws but not with the
// value being protected.

const (
	// gridBits sets the Laplace grid: g ≤ sensitivity·2^-gridBits.
	gridBits = 24
	// maxGridUnits clamps inputs, in grid units, so that input plus noise
	// fits an int64. Clamping never increases sensitivity.
	maxGridUnits = 1 << 61
	// maxScaleT bounds the sampler's t so that U + t·V fits an int64.
	maxScaleT = 1 << 52
	// fineT is t when the rate s/t is at least 2^-25: s then has 25
	// significant bits or more.
	fineT = 1 << 50
	// maxV bounds the sampler's geometric count V; reaching it happens with
	// probability e^-512 and gives ErrNoiseOutOfRange.
	maxV = 1 << 9
)

// NoiseOption configures a Laplace or Geometric mechanism.
type NoiseOption func(*noiseConfig)

type noiseConfig struct {
	src rand.Source
}

// WithRandomSource makes the mechanism draw its randomness from src instead
// of crypto/rand. It exists for tests that need reproducible noise (for
// example rand.NewPCG(1, 2)); with a predictable source the output is not
// private. src must be safe for concurrent use if the mechanism is shared
// between goroutines. A nil src keeps crypto/rand.
func WithRandomSource(src rand.Source) NoiseOption {
	return func(c *noiseConfig) {
		if src != nil {
			c.src = src
		}
	}
}

// cryptoSource is a rand.Source reading crypto/rand. It is stateless and
// safe for concurrent use.
type cryptoSource struct{}

// Uint64 returns 64 random bits from crypto/rand.
func (cryptoSource) Uint64() uint64 {
	var b [8]byte
	// crypto/rand.Read never returns an error: since Go 1.24 it crashes
	// the program instead of returning predictable bytes.
	_, _ = crand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}

// discreteLaplace samples k with P(k) ∝ exp(−|k|·s/t), s, t ≥ 1.
type discreteLaplace struct {
	src  rand.Source // kept to show, in tests, which source is used
	rng  *rand.Rand
	s, t uint64
}

// newDiscreteLaplace returns the sampler whose rate s/t is the largest
// convenient fraction not above eps/units: the privacy loss for inputs that
// differ by at most units is then at most eps. It fails when the noise would
// be too wide for the sampler's integer range.
func newDiscreteLaplace(eps, units float64, opts []NoiseOption) (discreteLaplace, error) {
	c := noiseConfig{src: cryptoSource{}}
	for _, opt := range opts {
		opt(&c)
	}
	d := discreteLaplace{src: c.src, rng: rand.New(c.src)}
	// rate = eps/units exactly: both are float64, hence dyadic rationals.
	rate := new(big.Rat).SetFloat64(eps)
	rate.Quo(rate, new(big.Rat).SetFloat64(units))
	if rate.Cmp(big.NewRat(1, 1<<25)) <= 0 {
		// Coarse rate: s = 1, t = ⌈1/rate⌉; relative loss ≤ rate ≤ 2^-25.
		inv := new(big.Rat).Inv(rate)
		t := new(big.Int).Quo(inv.Num(), inv.Denom())
		if !inv.IsInt() {
			t.Add(t, big.NewInt(1))
		}
		if !t.IsUint64() || t.Uint64() > maxScaleT {
			scale, _ := inv.Float64()
			return discreteLaplace{}, fmt.Errorf("noise: scale of %.3g units is above 2^52: %w", scale, ErrInvalidParameter)
		}
		d.s, d.t = 1, t.Uint64()
		return d, nil
	}
	// Fine rate: t = 2^50, s = ⌊rate·2^50⌋ ≥ 2^25; relative loss ≤ 2^-25.
	// s is capped at 2^62 (rate 2^12): a smaller rate only adds noise.
	scaled := new(big.Rat).Mul(rate, new(big.Rat).SetInt64(fineT))
	s := new(big.Int).Quo(scaled.Num(), scaled.Denom())
	d.s, d.t = 1<<62, fineT
	if s.IsUint64() && s.Uint64() < 1<<62 {
		d.s = s.Uint64()
	}
	return d, nil
}

// scale returns t/s, the noise scale in units; 0 for the zero sampler.
func (d discreteLaplace) scale() float64 {
	if !d.ready() {
		return 0
	}
	return float64(d.t) / float64(d.s)
}

// ready reports whether the sampler was set up by newDiscreteLaplace.
func (d discreteLaplace) ready() bool { return d.rng != nil && d.s > 0 && d.t > 0 }

// sample draws k following Canonne, Kamath and Steinke, Algorithm 2.
func (d discreteLaplace) sample() (int64, error) {
	for {
		u := d.rng.Uint64N(d.t)
		if !d.bernoulliExpNeg(u, d.t) {
			continue
		}
		// v is geometric: P(v ≥ n) = e^-n.
		var v uint64
		for d.bernoulliExpNeg(1, 1) {
			v++
			if v >= maxV {
				return 0, fmt.Errorf("noise: %w", ErrNoiseOutOfRange)
			}
		}
		// x = u + t·v < 2^52·2^9 + 2^52 < 2^62: no overflow.
		y := (u + d.t*v) / d.s
		negative := d.rng.Uint64()&1 == 1
		if negative && y == 0 {
			continue // otherwise 0 would be drawn twice as often
		}
		if negative {
			return -int64(y), nil
		}
		return int64(y), nil
	}
}

// bernoulliExpNeg returns true with probability exp(−num/den), for
// 0 ≤ num ≤ den, den ≥ 1 (Canonne, Kamath and Steinke, Algorithm 1).
func (d discreteLaplace) bernoulliExpNeg(num, den uint64) bool {
	k := uint64(1)
	// Draw A ~ Bernoulli(γ/k), γ = num/den, as Bernoulli(γ) ∧ Bernoulli(1/k):
	// the product of independent draws has the same law and avoids den·k
	// overflowing.
	for d.bernoulli(num, den) && (k == 1 || d.rng.Uint64N(k) == 0) {
		k++
	}
	return k%2 == 1
}

// bernoulli returns true with probability num/den, for num ≤ den, den ≥ 1.
func (d discreteLaplace) bernoulli(num, den uint64) bool {
	return num >= den || d.rng.Uint64N(den) < num
}

// MaxEpsilon is the largest privacy loss a noise mechanism accepts, the
// bound of the vocabulary's DpNoise.epsilon. Beyond it the noise is so
// small that the exact value would be sent (ε = 1e300 adds none at all).
const MaxEpsilon = 10

// checkBudget validates a sensitivity and a privacy budget.
func checkBudget(sensitivity, epsilon float64) error {
	if !(epsilon > 0) || !(epsilon <= MaxEpsilon) {
		return fmt.Errorf("noise: epsilon %g, want > 0 and at most %d: %w", epsilon, MaxEpsilon, ErrInvalidParameter)
	}
	if !(sensitivity > 0) || math.IsInf(sensitivity, 0) {
		return fmt.Errorf("noise: sensitivity %g, want finite and > 0: %w", sensitivity, ErrInvalidParameter)
	}
	return nil
}

// Laplace adds differential-privacy noise of scale sensitivity/ε to
// floating-point values, without the floating-point weakness of the
// textbook sampler: see the comment at the top of this file, in short an
// exact discrete Laplace on a power-of-two grid. Every output is a multiple
// of Granularity.
//
// Laplace is immutable and safe for concurrent use (with the default
// source).
type Laplace struct {
	noise discreteLaplace
	grid  float64
}

// NewLaplace returns a Laplace mechanism for values that one person can
// change by at most sensitivity, with privacy loss at most epsilon per
// release. Both must be finite and positive, and epsilon at least about
// 2^-27 (below that the noise is wider than the grid allows); the error
// wraps ErrInvalidParameter.
func NewLaplace(sensitivity, epsilon float64, opts ...NoiseOption) (*Laplace, error) {
	if err := checkBudget(sensitivity, epsilon); err != nil {
		return nil, err
	}
	_, exp := math.Frexp(sensitivity) // sensitivity = f·2^exp, f in [0.5, 1)
	grid := math.Ldexp(1, exp-1-gridBits)
	if grid < math.SmallestNonzeroFloat64*(1<<52) || math.IsInf(grid*maxGridUnits*4, 0) {
		return nil, fmt.Errorf("noise: sensitivity %g outside the supported range: %w", sensitivity, ErrInvalidParameter)
	}
	// Neighbouring inputs, once rounded to the grid, differ by at most
	// ⌊sensitivity/g⌋+1 grid units (sensitivity/g is exact).
	units := math.Floor(sensitivity/grid) + 1
	noise, err := newDiscreteLaplace(epsilon, units, opts)
	if err != nil {
		return nil, err
	}
	return &Laplace{noise: noise, grid: grid}, nil
}

// Granularity returns the spacing of the grid every output lies on; 0 for
// the zero Laplace.
func (l *Laplace) Granularity() float64 {
	if l == nil {
		return 0
	}
	return l.grid
}

// Scale returns the scale of the noise actually added. It is never below
// sensitivity/ε (the guarantee is checked in exact arithmetic; this float64
// report of it is rounded). It is 0 for the zero Laplace.
func (l *Laplace) Scale() float64 {
	if l == nil {
		return 0
	}
	return l.noise.scale() * l.grid
}

// Bound returns the magnitude above which inputs are clamped before noise is
// added; it is at least 2^36 times the sensitivity. Clamping keeps the
// guarantee: it never moves two inputs further apart.
func (l *Laplace) Bound() float64 { return maxGridUnits * l.Granularity() }

// Noise returns x with noise added. A NaN or infinite x gives an error
// wrapping ErrInvalidNumber; so, with negligible probability, does a noise
// sample too large to represent (ErrNoiseOutOfRange). Either way the caller
// drops the value. The zero Laplace (one NewLaplace did not make) gives an
// error wrapping ErrInvalidParameter.
func (l *Laplace) Noise(x float64) (float64, error) {
	out, err := l.addNoise(x)
	return out, Prefixed(err)
}

// addNoise is Noise, its error not prefixed.
func (l *Laplace) addNoise(x float64) (float64, error) {
	if l == nil || !l.noise.ready() {
		return 0, fmt.Errorf("noise: the zero Laplace adds none (use NewLaplace): %w", ErrInvalidParameter)
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("noise: value not finite: %w", ErrInvalidNumber)
	}
	q := max(-maxGridUnits, min(maxGridUnits, x/l.grid)) // x/grid is exact or ±Inf
	n := int64(math.RoundToEven(q))
	k, err := l.noise.sample()
	if err != nil {
		return 0, err
	}
	// |n+k| < 2^61 + 2^62: no overflow. float64(n+k)·grid rounds a value
	// that is already private: post-processing.
	return float64(n+k) * l.grid, nil
}

// Geometric adds differential-privacy noise to integer values: the
// two-sided geometric mechanism, the discrete counterpart of the Laplace
// mechanism, sampled exactly (see the comment at the top of this file).
// Noise k has P(k) ∝ α^|k| with α ≤ exp(−ε/⌈sensitivity⌉): integer inputs
// that differ by at most sensitivity differ by at most ⌈sensitivity⌉.
//
// Geometric is immutable and safe for concurrent use (with the default
// source).
type Geometric struct {
	noise discreteLaplace
}

// NewGeometric returns a two-sided geometric mechanism for integer values
// that one person can change by at most sensitivity, with privacy loss at
// most epsilon per release. Both must be finite and positive, and
// ⌈sensitivity⌉/epsilon at most about 2^52; the error wraps
// ErrInvalidParameter.
func NewGeometric(sensitivity, epsilon float64, opts ...NoiseOption) (*Geometric, error) {
	if err := checkBudget(sensitivity, epsilon); err != nil {
		return nil, err
	}
	noise, err := newDiscreteLaplace(epsilon, math.Ceil(sensitivity), opts)
	if err != nil {
		return nil, err
	}
	return &Geometric{noise: noise}, nil
}

// Scale returns the scale of the noise actually added. It is never below
// ⌈sensitivity⌉/ε (the guarantee is checked in exact arithmetic; this
// float64 report of it is rounded).
// It is 0 for the zero Geometric.
func (g *Geometric) Scale() float64 {
	if g == nil {
		return 0
	}
	return g.noise.scale()
}

// Noise returns x with noise added. x is first clamped to ±2^61, which keeps
// the guarantee and the sum in range. With negligible probability the noise
// sample is too large to represent and the error wraps ErrNoiseOutOfRange;
// the caller drops the value. The zero Geometric (one NewGeometric did not
// make) gives an error wrapping ErrInvalidParameter.
func (g *Geometric) Noise(x int64) (int64, error) {
	out, err := g.addNoise(x)
	return out, Prefixed(err)
}

// addNoise is Noise, its error not prefixed.
func (g *Geometric) addNoise(x int64) (int64, error) {
	if g == nil || !g.noise.ready() {
		return 0, fmt.Errorf("noise: the zero Geometric adds none (use NewGeometric): %w", ErrInvalidParameter)
	}
	x = max(-maxGridUnits, min(maxGridUnits, x))
	k, err := g.noise.sample()
	if err != nil {
		return 0, err
	}
	return x + k, nil
}
