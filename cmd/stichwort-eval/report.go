package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// report is the outcome of one evaluation run.
type report struct {
	Docs     int            `json:"docs"`
	Articles int            `json:"articles"`
	PDFs     int            `json:"pdfs"`
	Queries  int            `json:"queries"`
	PerCat   map[string]int `json:"queries_per_category"`
	Cutoff   int            `json:"cutoff"`
	Systems  []systemReport `json:"systems"`
}

// systemReport holds one system's scores.
type systemReport struct {
	System     string            `json:"system"`
	About      string            `json:"about"`
	Overall    scores            `json:"overall"`
	Categories map[string]scores `json:"categories"`
	Failed     []string          `json:"failed"` // ids of queries with no relevant document in the top 10
	Queries    []queryResult     `json:"queries"`
}

func newSystemReport(s system, rs []queryResult) systemReport {
	sr := systemReport{
		System: s.Name, About: s.About, Overall: mean(rs),
		Categories: make(map[string]scores, len(categories)),
		Failed:     []string{}, Queries: rs,
	}
	for _, c := range categories {
		var in []queryResult
		for _, r := range rs {
			if r.Category == c {
				in = append(in, r)
			}
		}
		sr.Categories[c] = mean(in)
	}
	for _, r := range rs {
		if r.failed() {
			sr.Failed = append(sr.Failed, r.ID)
		}
	}
	return sr
}

func writeJSON(w io.Writer, r report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeText prints the comparison table, the failing queries of each system
// and, with verbose, every query's nDCG@10 side by side.
func writeText(w io.Writer, r report, verbose bool) error {
	fmt.Fprintf(w, "stichwort-eval: %d documents (%d articles, %d PDFs), %d queries, metrics at %d\n\n",
		r.Docs, r.Articles, r.PDFs, r.Queries, r.Cutoff)
	for _, s := range r.Systems {
		fmt.Fprintf(w, "  %-12s %s\n", s.System, s.About)
	}
	fmt.Fprintln(w)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head1, head2 := "\t\t", "category\tn\t"
	for _, s := range r.Systems {
		head1 += "\t" + s.System + "\t\t\t"
		head2 += "\tnDCG\tMRR\tR@10\t"
	}
	fmt.Fprintln(tw, head1)
	fmt.Fprintln(tw, head2)
	for _, row := range rows(r) {
		line := row.name + "\t" + fmt.Sprint(row.n) + "\t"
		for _, sc := range row.scores {
			line += fmt.Sprintf("\t%.3f\t%.3f\t%.3f\t", sc.NDCG, sc.MRR, sc.Recall)
		}
		fmt.Fprintln(tw, line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	for _, s := range r.Systems {
		fmt.Fprintf(w, "\n%s fails %d of %d queries (no relevant document in the top %d):\n",
			s.System, len(s.Failed), r.Queries, r.Cutoff)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, q := range s.Queries {
			if q.failed() {
				fmt.Fprintf(tw, "  %s\t%s\t%s\ttop: %s\n", q.ID, q.Category, queryText(q), topText(q.Top, 3))
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	if verbose {
		fmt.Fprintf(w, "\nnDCG@%d per query:\n", r.Cutoff)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		line := "  query\tq"
		for _, s := range r.Systems {
			line += "\t" + s.System
		}
		fmt.Fprintln(tw, line)
		for i, q := range r.Systems[0].Queries {
			line := "  " + q.ID + "\t" + queryText(q)
			for _, s := range r.Systems {
				line += fmt.Sprintf("\t%.3f", s.Queries[i].NDCG)
			}
			fmt.Fprintln(tw, line)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// writeMarkdown prints the tables for docs/SEARCH_QUALITY.md.
func writeMarkdown(w io.Writer, r report) error {
	var b strings.Builder
	b.WriteString("| Category | n |")
	for _, s := range r.Systems {
		fmt.Fprintf(&b, " %s nDCG@10 | MRR | R@10 |", s.System)
	}
	b.WriteString("\n|---|--:|")
	for range r.Systems {
		b.WriteString("--:|--:|--:|")
	}
	b.WriteString("\n")
	for _, row := range rows(r) {
		name := row.name
		if name == "all" {
			name = "**all**"
		}
		fmt.Fprintf(&b, "| %s | %d |", name, row.n)
		for _, sc := range row.scores {
			fmt.Fprintf(&b, " %.3f | %.3f | %.3f |", sc.NDCG, sc.MRR, sc.Recall)
		}
		b.WriteString("\n")
	}
	for _, s := range r.Systems {
		fmt.Fprintf(&b, "\n**%s** fails %d of %d queries:\n\n", s.System, len(s.Failed), r.Queries)
		if len(s.Failed) == 0 {
			b.WriteString("- none\n")
		}
		for _, q := range s.Queries {
			if q.failed() {
				fmt.Fprintf(&b, "- `%s` (%s) %s, top: %s\n", q.ID, q.Category, queryText(q), topText(q.Top, 3))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type row struct {
	name   string
	n      int
	scores []scores // one per system
}

func rows(r report) []row {
	all := row{name: "all", n: r.Queries}
	for _, s := range r.Systems {
		all.scores = append(all.scores, s.Overall)
	}
	out := []row{all}
	for _, c := range categories {
		rw := row{name: c, n: r.PerCat[c]}
		for _, s := range r.Systems {
			rw.scores = append(rw.scores, s.Categories[c])
		}
		out = append(out, rw)
	}
	return out
}

func queryText(q queryResult) string {
	s := q.Q
	if len(q.Tags) > 0 {
		s += " [tags: " + strings.Join(q.Tags, ", ") + "]"
	}
	return s
}

func topText(top []string, n int) string {
	if len(top) == 0 {
		return "no hits"
	}
	s := strings.Join(top[:min(n, len(top))], ", ")
	if len(top) > n {
		s += ", …"
	}
	return s
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
