package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"stichwort"
)

// generator writes synthetic German e-government news in the import
// format. Document i depends only on the seed, i and the language, so a
// corpus of 10,000 documents is the first 10,000 lines of one of 100,000
// with the same seed, and any document can be made again on its own (the
// query sets are drawn from documents of the corpus this way).
type generator struct {
	lang *language
	seed uint64
}

// Shares of a document's words, tuned so that an average document has
// about 458 tokens and the mix of the sample corpus.
const (
	pNumber = 0.025 // "48.000", "2024", "3,5"
	pTail   = 0.07  // generated inflections and compounds
	pTopic  = 0.07  // a content word of one of the document's Stichwörter
	pPDF    = 0.08  // share of PDF documents
	// Body length in words: log-normal, so most are near the median and
	// a few are long.
	bodyMedian = 318
	bodySigma  = 0.45
	pdfFactor  = 1.9 // PDFs are longer
)

var hosts = []string{
	"www.egov-nachrichten.example", "www.kommune-digital.example", "www.staatsanzeiger-it.example",
	"www.verwaltung-modern.example", "www.landkreis-nordheide.example", "www.stadt-ehrenfeld.example",
	"www.digitalministerium-nrw.example", "www.it-planungsrat-aktuell.example", "www.behoerden-spiegel-online.example",
	"www.smartcity-magazin.example", "www.kreis-oberland.example", "www.landesportal-sachsen.example",
	"www.datenschutz-nord.example", "www.breitband-buero.example", "www.ozg-praxis.example",
	"www.stadtwerke-tal.example", "www.rathaus-news.example", "www.hessen-digital.example",
	"www.bayern-verwaltung.example", "www.kita-portal-nds.example", "www.register-modern.example",
	"www.cyberagentur-info.example", "www.opendata-kommunal.example", "www.ekte-forum.example",
}

var pdfKinds = []string{"Beschluss", "Richtlinie", "Bericht", "Positionspapier", "Entschließung",
	"Vorlage", "Handreichung", "Leitfaden", "Stellungnahme", "Eckpunkte"}

var (
	hostS = zipfSampler(len(hosts), 1.0)
	// More news in later years.
	yearS = newSampler([]float64{4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 12})
	// 1 to 4 Stichwörter, mostly 2.
	tagCountS = newSampler([]float64{30, 40, 22, 8})
)

const firstYear = 2015

// doc is a generated document and, for query sets, the content words it
// was made of.
type doc struct {
	rec   stichwort.ImportRecord
	words []string
}

// document returns document i of the corpus.
func (g *generator) document(i int) doc {
	return g.make(i, false)
}

func (g *generator) make(i int, collect bool) doc {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	w := &writer{lang: g.lang, r: r, collect: collect}
	pdf := r.Float64() < pPDF
	host := hosts[hostS.draw(r)]
	year := firstYear + yearS.draw(r)
	day := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365))

	ntags := 1 + tagCountS.draw(r)
	var tags []string
	for len(w.topics) < ntags {
		t := g.lang.tagS.draw(r)
		if !slices.Contains(w.topics, t) {
			w.topics = append(w.topics, t)
			tags = append(tags, g.lang.tags[t])
		}
	}

	var title string
	if pdf {
		title = pdfKinds[r.IntN(len(pdfKinds))] + " " + w.phrase(4+r.IntN(6), 0.35)
	} else {
		title = w.phrase(5+r.IntN(6), 0.35)
	}
	var lead string
	if !pdf || r.Float64() < 0.3 {
		lead = w.paragraph(1 + r.IntN(3))
	}
	words := float64(bodyMedian) * math.Exp(bodySigma*r.NormFloat64())
	if pdf {
		words *= pdfFactor
	}
	var body strings.Builder
	for n := 0; n < int(words); {
		if body.Len() > 0 {
			body.WriteString("\n\n")
		}
		before := w.words
		body.WriteString(w.paragraph(2 + r.IntN(5)))
		n += w.words - before
	}

	slug := slugOf(title)
	u := fmt.Sprintf("https://%s/artikel/%d/%02d/%s-%d.html", host, year, day.Month(), slug, i)
	typ := stichwort.TypeArticle
	if pdf {
		typ = stichwort.TypePDF
		u = fmt.Sprintf("https://dokumente.%s/beschluesse/%s-%d.pdf", strings.TrimPrefix(host, "www."), slug, i)
	}
	return doc{
		rec: stichwort.ImportRecord{URL: u, Title: title, Date: day.Format(time.DateOnly), Tags: tags,
			Lead: lead, Body: body.String(), Type: typ},
		words: w.content,
	}
}

// writer writes the sentences of one document.
type writer struct {
	lang    *language
	r       *rand.Rand
	topics  []int // the document's Stichwörter
	words   int   // words written so far
	collect bool
	content []string // content words written, when collect
}

// word draws one word: a number, a tail form, a topical word or a word of
// the sample's vocabulary. topicShare raises the topical share (titles).
func (w *writer) word(topicShare float64) string {
	w.words++
	l, r := w.lang, w.r
	x := r.Float64()
	switch {
	case x < pNumber:
		return number(r)
	case x < pNumber+pTail:
		return w.keep(l.tail[l.tailS.draw(r)])
	case x < pNumber+pTail+topicShare:
		tp := l.topics[w.topics[r.IntN(len(w.topics))]]
		return w.keep(tp.words[tp.s.draw(r)])
	}
	i := l.headS.draw(r)
	if i >= l.stopRank {
		return w.keep(l.head[i])
	}
	return l.head[i]
}

func (w *writer) keep(word string) string {
	if w.collect {
		w.content = append(w.content, word)
	}
	return word
}

// phrase is a title: n words, the first capitalised, no full stop.
func (w *writer) phrase(n int, topicShare float64) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = w.word(topicShare)
	}
	parts[0] = capitalize(parts[0])
	return strings.Join(parts, " ")
}

// paragraph is n sentences of 5 to 23 words (14 on average).
func (w *writer) paragraph(n int) string {
	var b strings.Builder
	r := w.r
	for s := range n {
		if s > 0 {
			b.WriteByte(' ')
		}
		quoted := r.Float64() < 0.04
		if quoted {
			b.WriteString("„")
		}
		words := 5 + r.IntN(10) + r.IntN(10)
		for k := range words {
			word := w.word(pTopic)
			if k == 0 {
				word = capitalize(word)
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(word)
			if k < words-1 && r.Float64() < 0.06 {
				b.WriteByte(',')
			}
		}
		switch x := r.Float64(); {
		case x < 0.02:
			b.WriteByte('?')
		case x < 0.03:
			b.WriteByte('!')
		default:
			b.WriteByte('.')
		}
		if quoted {
			b.WriteString("“")
		}
	}
	return b.String()
}

// number writes a figure as German news do: years, counts with a
// thousands point, decimals with a comma, percentages.
func number(r *rand.Rand) string {
	switch r.IntN(5) {
	case 0:
		return strconv.Itoa(1990 + r.IntN(40))
	case 1:
		n := 1000 + r.IntN(999_000)
		return strconv.Itoa(n/1000) + "." + fmt.Sprintf("%03d", n%1000)
	case 2:
		return strconv.Itoa(r.IntN(100)) + "," + strconv.Itoa(r.IntN(10))
	case 3:
		return strconv.Itoa(1+r.IntN(99)) + " Prozent"
	}
	return strconv.Itoa(1 + r.IntN(500))
}

// slugOf is the URL name of a title: its first words, folded to ASCII.
func slugOf(title string) string {
	fold := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue")
	var b strings.Builder
	words := 0
	for _, f := range strings.Fields(fold.Replace(title)) {
		var part strings.Builder
		for _, c := range strings.ToLower(f) {
			if c < utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
				part.WriteRune(c)
			}
		}
		if part.Len() == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(part.String())
		if words++; words == 5 {
			break
		}
	}
	return b.String()
}

// writeCorpus writes documents first..first+n-1 as JSON lines to out,
// made on all cores in chunks and written in order, in constant memory.
// It stops when ctx is cancelled.
func (g *generator) writeCorpus(ctx context.Context, out io.Writer, first, n int) error {
	const chunk = 256
	type part struct {
		data chan []byte
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	order := make(chan part, 2*runtime.GOMAXPROCS(0))
	jobs := make(chan struct {
		from, to int
		p        part
	})
	for range runtime.GOMAXPROCS(0) {
		go func() {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			for j := range jobs {
				buf.Reset()
				for i := j.from; i < j.to; i++ {
					if err := enc.Encode(g.document(i).rec); err != nil {
						panic(err) // strings and a slice of strings always encode
					}
				}
				j.p.data <- bytes.Clone(buf.Bytes())
			}
		}()
	}
	go func() {
		defer close(jobs)
		defer close(order)
		for from := first; from < first+n; from += chunk {
			p := part{data: make(chan []byte, 1)}
			select {
			case order <- p:
			case <-ctx.Done():
				return
			}
			jobs <- struct {
				from, to int
				p        part
			}{from, min(from+chunk, first+n), p}
		}
	}()
	bw := bufio.NewWriterSize(out, 1<<20)
	for p := range order {
		if _, err := bw.Write(<-p.data); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return bw.Flush()
}
