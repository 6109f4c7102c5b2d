package main

import (
	"math"
	"slices"
	"testing"
)

// The expected values are computed by hand; log2(2)=1, log2(3)=1.58496,
// log2(4)=2, log2(5)=2.32193.
func TestMetrics(t *testing.T) {
	rel := map[string]int{"a": 2, "b": 1, "c": 1}
	// IDCG at 10 for grades 2,1,1: 2/1 + 1/1.58496 + 1/2 = 3.13093
	const idcg = 2 + 1/1.5849625007211562 + 0.5
	tests := []struct {
		name                         string
		ranked                       []string
		rel                          map[string]int
		k                            int
		wantNDCG, wantRR, wantRecall float64
	}{
		{"ideal order", []string{"a", "b", "c"}, rel, 10, 1, 1, 1},
		{"nothing returned", nil, rel, 10, 0, 0, 0},
		{"only irrelevant", []string{"x", "y"}, rel, 10, 0, 0, 0},
		{
			// DCG = 0 + 2/log2(3) + 0 + 1/log2(5)
			"relevant at ranks 2 and 4", []string{"x", "a", "y", "b"}, rel, 10,
			(2/1.5849625007211562 + 1/2.321928094887362) / idcg, 0.5, 2.0 / 3,
		},
		{
			// DCG = 1 + 2/log2(3) + 1/2
			"reversed grades", []string{"b", "a", "c"}, rel, 10,
			(1 + 2/1.5849625007211562 + 0.5) / idcg, 1, 1,
		},
		{
			// Only rank 1 counts at k=1; ideal at k=1 is 2.
			"cut at k", []string{"x", "a"}, rel, 1, 0, 0, 0,
		},
		{
			"k=1 partial grade", []string{"b", "a"}, rel, 1, 0.5, 1, 1.0 / 3,
		},
		{
			// The duplicate a does not count twice and does not push c out.
			"duplicate ids", []string{"a", "a", "c"}, map[string]int{"a": 1, "c": 1}, 2,
			1, 1, 1,
		},
		{"no judgments", []string{"a"}, map[string]int{}, 10, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ndcg(tt.ranked, tt.rel, tt.k); !near(got, tt.wantNDCG) {
				t.Errorf("ndcg = %.5f, want %.5f", got, tt.wantNDCG)
			}
			if got := reciprocalRank(tt.ranked, tt.rel, tt.k); !near(got, tt.wantRR) {
				t.Errorf("reciprocal rank = %.5f, want %.5f", got, tt.wantRR)
			}
			if got := recall(tt.ranked, tt.rel, tt.k); !near(got, tt.wantRecall) {
				t.Errorf("recall = %.5f, want %.5f", got, tt.wantRecall)
			}
		})
	}
}

func TestMean(t *testing.T) {
	got := mean([]queryResult{{NDCG: 1, RR: 1, Recall: 0.5}, {NDCG: 0.5, RR: 0, Recall: 0}})
	want := scores{N: 2, NDCG: 0.75, MRR: 0.5, Recall: 0.25}
	if got != want {
		t.Errorf("mean = %+v, want %+v", got, want)
	}
	if got := mean(nil); got != (scores{}) {
		t.Errorf("mean(nil) = %+v, want zero", got)
	}
}

func TestQueryTerms(t *testing.T) {
	tests := []struct {
		in             string
		words, phrases []string
	}{
		{"Zwillinge", []string{"Zwillinge"}, nil},
		{`"digitale Zwillinge"`, nil, []string{"digitale Zwillinge"}},
		{`"Open Data" Verkehr`, []string{"Verkehr"}, []string{"Open Data"}},
		{"„Freie Hansestadt“ Bremen", []string{"Bremen"}, []string{"Freie Hansestadt"}},
		{`KI-Verordnung - "offen`, []string{"KI-Verordnung"}, []string{"offen"}},
		{`  ""  `, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			w, p := queryTerms(tt.in)
			if !slices.Equal(w, tt.words) || !slices.Equal(p, tt.phrases) {
				t.Errorf("queryTerms(%q) = %q, %q; want %q, %q", tt.in, w, p, tt.words, tt.phrases)
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
