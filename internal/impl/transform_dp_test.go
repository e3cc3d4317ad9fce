package impl

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// seeded returns the reproducible source tests use; production code keeps
// the crypto/rand default.
func seeded(seed uint64) NoiseOption { return WithRandomSource(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

func TestNoiseParameterErrors(t *testing.T) {
	t.Parallel()
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name               string
		sensitivity, eps   float64
		laplaceErr, geoErr error
	}{
		{name: "typical", sensitivity: 1, eps: 1},
		{name: "small epsilon", sensitivity: 1, eps: 1e-6},
		{name: "vocabulary maximum", sensitivity: 1000, eps: 10},
		{name: "fractional sensitivity", sensitivity: 0.25, eps: 0.5},
		{name: "epsilon above the vocabulary's bound", sensitivity: 1, eps: 10.000001, laplaceErr: ErrInvalidParameter, geoErr: ErrInvalidParameter},
		{name: "huge epsilon: the exact value every time", sensitivity: 1, eps: 1e300, laplaceErr: ErrInvalidParameter, geoErr: ErrInvalidParameter},
		{name: "zero epsilon", sensitivity: 1, eps: 0, laplaceErr: ErrInvalidParameter, geoErr: ErrInvalidParameter},
		{name: "negative epsilon", sensitivity: 1, eps: -1, laplaceErr: ErrInvalidParameter, geoErr: ErrInvalidParameter},
		{name: "NaN epsilon", sensitivity: 1, eps: nan, laplaceErr: ErrInvalidParameter, geoErr: ErrInvalidParameter},
		{name: "infinite epsilon", sensitivity: 1, eps: inf, laplaceErr: ErrInvalidParameter, geoErr: ErrInvalidParameter},
		{name: "zero sensitivity", sensitivity: 0, eps: 1, laplaceErr: ErrInvalidParameter, geoErr: ErrInvalidParameter},
		{name: "negative sensitivity", sensitivity: -2, eps: 1, laplaceErr: ErrInvalidParameter, geoErr: ErrInvalidParameter},
		{name: "NaN sensitivity", sensitivity: nan, eps: 1, laplaceErr: ErrInvalidParameter, geoErr: ErrInvalidParameter},
		{name: "infinite sensitivity", sensitivity: inf, eps: 1, laplaceErr: ErrInvalidParameter, geoErr: ErrInvalidParameter},
		{name: "epsilon below the grid's reach", sensitivity: 1, eps: 1e-10, laplaceErr: ErrInvalidParameter},
		{name: "scale beyond the integer range", sensitivity: 1e12, eps: 1e-5, geoErr: ErrInvalidParameter},
		{name: "sensitivity too small for the grid", sensitivity: 1e-305, eps: 1, laplaceErr: ErrInvalidParameter},
		{name: "sensitivity too large for the grid", sensitivity: 1e300, eps: 1, laplaceErr: ErrInvalidParameter, geoErr: ErrInvalidParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := NewLaplace(tt.sensitivity, tt.eps); !errors.Is(err, tt.laplaceErr) {
				t.Errorf("NewLaplace(%g, %g) error = %v, want %v", tt.sensitivity, tt.eps, err, tt.laplaceErr)
			}
			if _, err := NewGeometric(tt.sensitivity, tt.eps); !errors.Is(err, tt.geoErr) {
				t.Errorf("NewGeometric(%g, %g) error = %v, want %v", tt.sensitivity, tt.eps, err, tt.geoErr)
			}
		})
	}
}

// TestSamplerLargeRates checks the privacy accounting of the sampler at
// rates the mechanisms no longer accept (ε above MaxEpsilon): the
// arithmetic stays exact, and the rate is capped at 2^12 per unit.
func TestSamplerLargeRates(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ eps, units float64 }{{133.26785714285714, 5}, {4096, 1}, {1e6, 1}, {1e300, 1}} {
		d, err := newDiscreteLaplace(tt.eps, tt.units, nil)
		if err != nil {
			t.Fatalf("newDiscreteLaplace(%g, %g): %v", tt.eps, tt.units, err)
		}
		checkPrivacyLoss(t, d, tt.eps, tt.units)
		if want := tt.units / tt.eps; d.scale() < want*(1-1e-12) || d.scale() < 0x1p-12*(1-1e-12) {
			t.Errorf("newDiscreteLaplace(%g, %g).scale() = %g, want at least %g and 2^-12", tt.eps, tt.units, d.scale(), want)
		}
	}
}

// TestNoiseScale checks the privacy accounting: the noise is never
// narrower than the budget requires, and only slightly wider.
func TestNoiseScale(t *testing.T) {
	t.Parallel()
	tests := []struct{ sensitivity, eps float64 }{
		{2, 0.5 + 0x1p-40},
		{1, 1}, {1, 0.1}, {1, 1e-6}, {3.7, 0.5}, {0.001, 2}, {1000, 10}, {1, 1e-8}, {1e-9, 0.3}, {5, 3},
	}
	for _, tt := range tests {
		want := tt.sensitivity / tt.eps
		l, err := NewLaplace(tt.sensitivity, tt.eps)
		if err != nil {
			t.Errorf("NewLaplace(%g, %g): %v", tt.sensitivity, tt.eps, err)
			continue
		}
		checkPrivacyLoss(t, l.noise, tt.eps, math.Floor(tt.sensitivity/l.Granularity())+1)
		if got := l.Scale(); got < want*(1-1e-12) || got > want*(1+1e-6) {
			t.Errorf("NewLaplace(%g, %g).Scale() = %.17g, want in [%.17g, +1e-6]", tt.sensitivity, tt.eps, got, want)
		}
		g := l.Granularity()
		if frac, _ := math.Frexp(g); frac != 0.5 || g > tt.sensitivity*0x1p-24 || g <= tt.sensitivity*0x1p-25 {
			t.Errorf("NewLaplace(%g, %g).Granularity() = %g, want a power of two in (Δ·2^-25, Δ·2^-24]", tt.sensitivity, tt.eps, g)
		}
		if l.Bound() < tt.sensitivity*0x1p36 {
			t.Errorf("NewLaplace(%g, %g).Bound() = %g, want at least 2^36·Δ", tt.sensitivity, tt.eps, l.Bound())
		}

		geo, err := NewGeometric(tt.sensitivity, tt.eps)
		if err != nil {
			t.Errorf("NewGeometric(%g, %g): %v", tt.sensitivity, tt.eps, err)
			continue
		}
		checkPrivacyLoss(t, geo.noise, tt.eps, math.Ceil(tt.sensitivity))
		want = math.Ceil(tt.sensitivity) / tt.eps
		// The rate is capped at 2^12 per unit: a huge ε buys no less noise.
		if got := geo.Scale(); got < want*(1-1e-12) || got > math.Max(want, math.Ceil(tt.sensitivity)*0x1p-12)*(1+1e-6) {
			t.Errorf("NewGeometric(%g, %g).Scale() = %.17g, want in [%.17g, +1e-6]", tt.sensitivity, tt.eps, got, want)
		}
	}
}

func TestDefaultSourceIsCryptoRand(t *testing.T) {
	t.Parallel()
	l, err := NewLaplace(1, 1, WithRandomSource(nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := l.noise.src.(cryptoSource); !ok {
		t.Errorf("default source is %T, want cryptoSource", l.noise.src)
	}
	g, err := NewGeometric(1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := g.noise.src.(cryptoSource); !ok {
		t.Errorf("default source is %T, want cryptoSource", g.noise.src)
	}
}

func TestSeededNoiseIsReproducible(t *testing.T) {
	t.Parallel()
	draw := func(opts ...NoiseOption) []int64 {
		g, err := NewGeometric(1, 0.5, opts...)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]int64, 32)
		for i := range out {
			if out[i], err = g.Noise(0); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	a, b := draw(seeded(7)), draw(seeded(7))
	if !equalInts(a, b) {
		t.Errorf("same seed, different noise: %v, %v", a, b)
	}
	c, d := draw(), draw()
	if equalInts(c, d) {
		t.Errorf("crypto/rand gave the same 32 draws twice: %v", c)
	}
}

func equalInts(a, b []int64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// within5Sigma fails when the observed frequency of an event of
// probability p among n draws is more than five standard deviations off.
func within5Sigma(t *testing.T, what string, count, n int, p float64) {
	t.Helper()
	got := float64(count) / float64(n)
	if sigma := math.Sqrt(p * (1 - p) / float64(n)); math.Abs(got-p) > 5*sigma+1e-12 {
		t.Errorf("%s: frequency %.5f, want %.5f ± %.5f", what, got, p, 5*sigma)
	}
}

func TestBernoulliExpNeg(t *testing.T) {
	t.Parallel()
	d := discreteLaplace{rng: rand.New(rand.NewPCG(1, 2))}
	const n = 200000
	for _, g := range []struct{ num, den uint64 }{{0, 1}, {1, 3}, {2, 3}, {1, 1}, {5, 7}} {
		count := 0
		for range n {
			if d.bernoulliExpNeg(g.num, g.den) {
				count++
			}
		}
		within5Sigma(t, "Bernoulli(exp(-γ))", count, n, math.Exp(-float64(g.num)/float64(g.den)))
	}
}

// TestGeometricDistribution compares the noise with the two-sided
// geometric law P(k) = tanh(ε/2)·e^(−ε|k|) for sensitivity 1.
func TestGeometricDistribution(t *testing.T) {
	t.Parallel()
	for _, eps := range []float64{0.1, 1, 5} {
		g, err := NewGeometric(1, eps, seeded(uint64(eps*10)))
		if err != nil {
			t.Fatal(err)
		}
		const n = 200000
		counts := map[int64]int{}
		const x = 42
		for range n {
			v, err := g.Noise(x)
			if err != nil {
				t.Fatal(err)
			}
			counts[v-x]++
		}
		for k := int64(-3); k <= 3; k++ {
			p := math.Tanh(eps/2) * math.Exp(-eps*math.Abs(float64(k)))
			within5Sigma(t, fmt.Sprintf("ε=%g, P(k=%d)", eps, k), counts[k], n, p)
		}
	}
}

// TestLaplaceDistribution checks the noise's law through the Laplace CDF,
// P(|N| ≤ m·λ) = 1 − e^−m, on both branches of the rate (ε ≤ 1/2 uses
// s = 1, larger ε a fine fraction), and that every output is on the grid.
func TestLaplaceDistribution(t *testing.T) {
	t.Parallel()
	for _, eps := range []float64{0.5, 2} {
		const sensitivity, x, n = 3, 1234.56789, 100000
		l, err := NewLaplace(sensitivity, eps, seeded(uint64(eps*10)))
		if err != nil {
			t.Fatal(err)
		}
		lambda := sensitivity / eps
		g := l.Granularity()
		snapped := math.RoundToEven(x/g) * g
		within := [3]int{}
		sum := 0.0
		for range n {
			v, err := l.Noise(x)
			if err != nil {
				t.Fatal(err)
			}
			if q := v / g; q != math.Trunc(q) {
				t.Fatalf("Noise(%g) = %g, not a multiple of the grid %g", x, v, g)
			}
			d := math.Abs(v - snapped)
			for m := range within {
				if d <= float64(m+1)*lambda {
					within[m]++
				}
			}
			sum += v - snapped
		}
		for m := range within {
			within5Sigma(t, "Laplace CDF", within[m], n, 1-math.Exp(-float64(m+1)))
		}
		// The mean of Laplace noise is 0, standard deviation √2·λ.
		if mean, sigma := sum/n, math.Sqrt2*lambda/math.Sqrt(n); math.Abs(mean) > 5*sigma {
			t.Errorf("ε=%g: mean noise %g, want 0 ± %g", eps, mean, 5*sigma)
		}
	}
}

func TestLaplaceInputs(t *testing.T) {
	t.Parallel()
	l, err := NewLaplace(1, 1, seeded(3))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := l.Noise(x); !errors.Is(err, ErrInvalidNumber) {
			t.Errorf("Noise(%g) error = %v, want ErrInvalidNumber", x, err)
		}
	}
	// Values beyond the bound are clamped, so the output is near the
	// bound; tiny values still land on the grid.
	for _, x := range []float64{math.MaxFloat64, -math.MaxFloat64, 5e-324, -0.0} {
		v, err := l.Noise(x)
		if err != nil {
			t.Fatal(err)
		}
		if q := v / l.Granularity(); q != math.Trunc(q) || math.IsInf(v, 0) {
			t.Errorf("Noise(%g) = %g, not a finite multiple of the grid", x, v)
		}
		if want := math.Max(-l.Bound(), math.Min(l.Bound(), x)); math.Abs(v-want) > 1000*l.Scale() {
			t.Errorf("Noise(%g) = %g, want near %g", x, v, want)
		}
	}
}

func TestGeometricClampsExtremes(t *testing.T) {
	t.Parallel()
	g, err := NewGeometric(1, 1, seeded(4))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []int64{math.MaxInt64, math.MinInt64} {
		v, err := g.Noise(x)
		if err != nil {
			t.Fatal(err)
		}
		want := int64(1 << 61)
		if x < 0 {
			want = -want
		}
		if d := v - want; d < -1000 || d > 1000 {
			t.Errorf("Noise(%d) = %d, want near %d", x, v, want)
		}
	}
}

// constSource always returns the same value. With 1<<63 it makes every
// Bernoulli(e^-1) draw succeed, so the geometric count V runs to its cap.
type constSource uint64

func (c constSource) Uint64() uint64 { return uint64(c) }

func TestNoiseOutOfRange(t *testing.T) {
	t.Parallel()
	g, err := NewGeometric(1, 1, WithRandomSource(constSource(1<<63)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Noise(5); !errors.Is(err, ErrNoiseOutOfRange) {
		t.Errorf("Noise with a rigged source: error = %v, want ErrNoiseOutOfRange", err)
	}
	l, err := NewLaplace(1, 2, WithRandomSource(constSource(1<<63)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Noise(5); !errors.Is(err, ErrNoiseOutOfRange) {
		t.Errorf("Noise with a rigged source: error = %v, want ErrNoiseOutOfRange", err)
	}
}

// checkPrivacyLoss fails unless, in exact arithmetic, the sampler's rate
// s/t times the sensitivity in grid units is at most ε: the privacy loss
// of one release.
func checkPrivacyLoss(t *testing.T, d discreteLaplace, eps, units float64) {
	t.Helper()
	loss := new(big.Rat).SetFrac(new(big.Int).SetUint64(d.s), new(big.Int).SetUint64(d.t))
	loss.Mul(loss, new(big.Rat).SetFloat64(units))
	if loss.Cmp(new(big.Rat).SetFloat64(eps)) > 0 {
		t.Fatalf("privacy loss %s exceeds ε = %g (s=%d, t=%d, units=%g)", loss.FloatString(20), eps, d.s, d.t, units)
	}
}

func FuzzLaplace(f *testing.F) {
	f.Add(12.5, 1.0, 1.0, uint64(1))
	f.Add(-1e308, 1e-3, 10.0, uint64(2))
	f.Add(math.NaN(), 1.0, 0.5, uint64(3))
	f.Add(0.0, 1e-300, 1e-300, uint64(4))
	f.Fuzz(func(t *testing.T, x, sensitivity, eps float64, seed uint64) {
		l, err := NewLaplace(sensitivity, eps, seeded(seed))
		if err != nil {
			if !errors.Is(err, ErrInvalidParameter) {
				t.Fatalf("NewLaplace(%g, %g) error = %v", sensitivity, eps, err)
			}
			return
		}
		units := math.Floor(sensitivity/l.Granularity()) + 1
		checkPrivacyLoss(t, l.noise, eps, units)
		if l.Scale() < sensitivity/eps*(1-1e-12) {
			t.Fatalf("NewLaplace(%g, %g).Scale() = %g, below Δ/ε", sensitivity, eps, l.Scale())
		}
		v, err := l.Noise(x)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			if !errors.Is(err, ErrInvalidNumber) {
				t.Fatalf("Noise(%g) error = %v, want ErrInvalidNumber", x, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Noise(%g) error = %v", x, err)
		}
		if q := v / l.Granularity(); math.IsInf(v, 0) || math.IsNaN(v) || q != math.Trunc(q) {
			t.Fatalf("Noise(%g) = %g, not a finite multiple of %g", x, v, l.Granularity())
		}
	})
}

func FuzzGeometric(f *testing.F) {
	f.Add(int64(100), 1.0, 1.0, uint64(1))
	f.Add(int64(math.MinInt64), 0.3, 10.0, uint64(2))
	f.Add(int64(0), 1e12, 1e-5, uint64(3))
	f.Add(int64(-205), 5.0, 133.26785714285714, uint64(51)) // float64(s) rounds up
	f.Fuzz(func(t *testing.T, x int64, sensitivity, eps float64, seed uint64) {
		g, err := NewGeometric(sensitivity, eps, seeded(seed))
		if err != nil {
			if !errors.Is(err, ErrInvalidParameter) {
				t.Fatalf("NewGeometric(%g, %g) error = %v", sensitivity, eps, err)
			}
			return
		}
		checkPrivacyLoss(t, g.noise, eps, math.Ceil(sensitivity))
		if g.Scale() < math.Ceil(sensitivity)/eps*(1-1e-12) {
			t.Fatalf("NewGeometric(%g, %g).Scale() = %g, below ⌈Δ⌉/ε", sensitivity, eps, g.Scale())
		}
		v, err := g.Noise(x)
		if err != nil {
			t.Fatalf("Noise(%d) error = %v", x, err)
		}
		clamped := max(-1<<61, min(1<<61, x))
		if d := v - clamped; d <= -1<<62 || d >= 1<<62 {
			t.Fatalf("Noise(%d) = %d, noise out of range", x, v)
		}
	})
}

func BenchmarkLaplaceNoise(b *testing.B) {
	benchTransform(b, must(NewLaplace(1, 1)).Noise, 1234.5)
}

func BenchmarkGeometricNoise(b *testing.B) {
	benchTransform(b, must(NewGeometric(1, 1)).Noise, 1234)
}
