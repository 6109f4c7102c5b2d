package main

import (
	"math"
	"math/rand/v2"
	"slices"
)

// sampler draws indexes 0..n-1 with fixed weights: binary search in the
// cumulative weights. It is read-only after construction, so generators
// on several goroutines share one.
type sampler struct {
	cum []float64
}

// newSampler returns a sampler with the given weights (not all zero).
func newSampler(weights []float64) *sampler {
	cum := make([]float64, len(weights))
	total := 0.0
	for i, w := range weights {
		total += w
		cum[i] = total
	}
	return &sampler{cum: cum}
}

// zipfSampler draws ranks 0..n-1 with probability proportional to
// 1/(rank+1)^s: Zipf's law of word frequencies (s about 1 for text).
func zipfSampler(n int, s float64) *sampler {
	w := make([]float64, n)
	for i := range w {
		w[i] = math.Pow(float64(i+1), -s)
	}
	return newSampler(w)
}

func (s *sampler) draw(r *rand.Rand) int {
	x := r.Float64() * s.cum[len(s.cum)-1]
	i, _ := slices.BinarySearch(s.cum, x)
	return min(i, len(s.cum)-1)
}

func (s *sampler) len() int { return len(s.cum) }
