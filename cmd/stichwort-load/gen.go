package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"
)

// tagNames are the Stichwörter of the generated corpus; the first ones
// are the most frequent (roughly Zipf), as on real news sites.
var tagNames = []string{
	"Digitalisierung", "Verwaltung", "Smart City", "Onlinezugangsgesetz", "Cloud", "Datenschutz",
	"Politik", "Breitband", "IT-Sicherheit", "Open Data", "Künstliche Intelligenz", "Registermodernisierung",
	"E-Akte", "Beschaffung", "Bildung", "Gesundheit", "Justiz", "Personal", "Digitale Zwillinge", "Kita",
	"Mobilität", "Klima", "Haushalt", "Wohngeld", "Steuern", "Polizei", "Energie", "Fachkräfte",
	"Souveränität", "Verwaltungscloud", "Portalverbund", "Bürgerkonto", "Förderung", "Kommunen",
}

// runGen writes a simple synthetic corpus of JSON lines for "stichwort
// import": German words, dates over ten years, a few Stichwörter each, one
// document in ten a PDF. The benchmark tool (cmd/stichwort-bench gen) makes
// a more realistic one; this one needs nothing but this program.
func runGen(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 100_000, "number of documents")
	seed := fs.Uint64("seed", 1, "seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(*seed, 42))
	w := bufio.NewWriterSize(stdout, 1<<20)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	sentence := func(min, max int) string {
		k := min + rng.IntN(max-min+1)
		ws := make([]string, k)
		for i := range ws {
			ws[i] = words[rng.IntN(len(words))]
			if rng.IntN(3) == 0 {
				ws[i] = strings.ToLower(ws[i])
			}
		}
		return strings.Join(ws, " ") + "."
	}
	start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range *n {
		var tags []string
		for range 1 + rng.IntN(4) {
			// Zipf-like: low indices far more often.
			j := int(float64(len(tagNames)) * rng.Float64() * rng.Float64())
			tags = append(tags, tagNames[j])
		}
		var body strings.Builder
		for range 5 + rng.IntN(20) {
			body.WriteString(sentence(6, 18))
			body.WriteByte(' ')
		}
		typ := "article"
		ext := ""
		if i%10 == 9 {
			typ, ext = "pdf", ".pdf"
		}
		doc := map[string]any{
			"url":   fmt.Sprintf("https://quelle%d.example/meldung/%d%s", i%20, i, ext),
			"title": sentence(4, 9),
			"date":  start.AddDate(0, 0, rng.IntN(3650)).Format(time.DateOnly),
			"tags":  tags,
			"lead":  sentence(10, 20),
			"body":  body.String(),
			"type":  typ,
		}
		if err := enc.Encode(doc); err != nil {
			return err
		}
	}
	return w.Flush()
}
