package main

import (
	"math"
	"slices"
)

// cutoff is the depth of the result list that the metrics look at: the first
// page of the search page and of /api/search.
const cutoff = 10

// The metrics take the ranked judged ids a system returned, best first, and
// the graded judgments of the query (2 highly relevant, 1 relevant, absent
// 0). An id that appears twice in a ranking counts once, at its best rank.

// ndcg is the normalised discounted cumulative gain at k with linear gain:
// DCG = Σ grade(i) / log2(i+1) over ranks i = 1..k, divided by the DCG of
// the ideal ranking (all judged documents, highest grade first). It is 1
// when the best documents come first, 0 when none is in the top k.
func ndcg(ranked []string, rel map[string]int, k int) float64 {
	ideal := make([]int, 0, len(rel))
	for _, g := range rel {
		if g > 0 {
			ideal = append(ideal, g)
		}
	}
	slices.Sort(ideal)
	slices.Reverse(ideal)
	var idcg float64
	for i, g := range ideal[:min(k, len(ideal))] {
		idcg += float64(g) / math.Log2(float64(i+2))
	}
	if idcg == 0 {
		return 0
	}
	var dcg float64
	for i, id := range topK(ranked, k) {
		dcg += float64(rel[id]) / math.Log2(float64(i+2))
	}
	return dcg / idcg
}

// reciprocalRank is 1/rank of the first relevant document (grade ≥ 1) in
// the top k, or 0; its mean over queries is MRR@k.
func reciprocalRank(ranked []string, rel map[string]int, k int) float64 {
	for i, id := range topK(ranked, k) {
		if rel[id] > 0 {
			return 1 / float64(i+1)
		}
	}
	return 0
}

// recall is the share of the relevant documents (grade ≥ 1) found in the
// top k. A query with more than k relevant documents cannot reach 1; the
// query set keeps that rare.
func recall(ranked []string, rel map[string]int, k int) float64 {
	total := 0
	for _, g := range rel {
		if g > 0 {
			total++
		}
	}
	if total == 0 {
		return 0
	}
	found := 0
	for _, id := range topK(ranked, k) {
		if rel[id] > 0 {
			found++
		}
	}
	return float64(found) / float64(total)
}

// topK returns the first k distinct ids of ranked.
func topK(ranked []string, k int) []string {
	out := make([]string, 0, k)
	for _, id := range ranked {
		if len(out) == k {
			break
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// scores are the mean metrics over a set of queries.
type scores struct {
	N      int     `json:"n"`
	NDCG   float64 `json:"ndcg_at_10"`
	MRR    float64 `json:"mrr_at_10"`
	Recall float64 `json:"recall_at_10"`
}

// mean averages per-query results; every query weighs the same.
func mean(rs []queryResult) scores {
	s := scores{N: len(rs)}
	if len(rs) == 0 {
		return s
	}
	for _, r := range rs {
		s.NDCG += r.NDCG
		s.MRR += r.RR
		s.Recall += r.Recall
	}
	n := float64(len(rs))
	s.NDCG, s.MRR, s.Recall = s.NDCG/n, s.MRR/n, s.Recall/n
	return s
}
