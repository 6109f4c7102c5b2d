package main

import (
	"bufio"
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"

	"stichwort/internal/samplesite"
)

// language is what the generator draws its words from. Its head is the
// vocabulary of the sample corpus (testdata/articles) with the words' real
// frequencies, so function words, domain words and their proportions are
// those of hand-written German e-government news. Its tail is a fixed list
// of generated word forms, ranked and drawn by Zipf's law: inflected forms
// of the head words, compounds of parts from the decompounder's lexicon
// (index/german/data/lexicon_de.txt) with their linking elements, and
// hyphenated compounds ("KI-Verordnung"). The tail is what makes the term
// dictionary grow with the corpus as a real archive's does (Heaps' law).
//
// The language depends only on the two source files, never on the seed of
// a corpus: different seeds are different texts in the same language.
type language struct {
	head  []string // by falling frequency
	headS *sampler
	// stopRank: head words ranked below it are function words (der,
	// und, für ...): not topical, not queried.
	stopRank int
	headRank map[string]int
	// stop holds the German stop words (Snowball's list, as Bleve's de
	// analyzer uses it), lower case: never queried alone.
	stop analysis.TokenMap

	tail     []string // Zipf-ranked
	tailS    *sampler
	tailRank map[string]int

	tags   []string // Stichwörter, display spelling
	tagS   *sampler // by their frequency in the sample corpus
	topics []*topic // per tag: the words of the articles with that tag
}

type topic struct {
	words []string
	s     *sampler
}

// Sizes of the language. Changing them changes every corpus.
const (
	tailSize  = 300_000
	tailZipfS = 1.0
	stopRank  = 120
	// languageSeed makes the tail; fixed, so that all corpora share it.
	languageSeed = 0x5717c4_0001
)

// loadLanguage builds the language from the sample articles (and their
// PDFs) in articlesDir, the Stichwort vocabulary of articlesDir/FORMAT.md
// and the lexicon of compound parts.
func loadLanguage(articlesDir, lexiconPath string) (*language, error) {
	arts, err := samplesite.LoadArticles(articlesDir)
	if err != nil {
		return nil, err
	}
	if len(arts) == 0 {
		return nil, fmt.Errorf("no articles in %s", articlesDir)
	}
	pdfs, err := samplesite.LoadPDFs(articlesDir)
	if err != nil {
		return nil, err
	}
	tags, err := readTagVocabulary(filepath.Join(articlesDir, "FORMAT.md"))
	if err != nil {
		return nil, err
	}
	parts, err := readLexicon(lexiconPath)
	if err != nil {
		return nil, err
	}

	// Words of each article and PDF, with case variants merged into the
	// most frequent spelling ("Die" at a sentence start is "die").
	var texts [][]string
	var textTags [][]string
	for _, a := range arts {
		texts = append(texts, splitWords(a.Title+"\n"+a.Lead+"\n"+strings.Join(a.Body, "\n")))
		textTags = append(textTags, a.Tags)
	}
	for _, p := range pdfs {
		texts = append(texts, splitWords(p.Text()))
		textTags = append(textTags, nil)
	}
	spelling := make(map[string]map[string]int) // lower → spelling → count
	for _, ws := range texts {
		for _, w := range ws {
			k := strings.ToLower(w)
			if spelling[k] == nil {
				spelling[k] = make(map[string]int)
			}
			spelling[k][w]++
		}
	}
	counts := make(map[string]int, len(spelling))
	canon := make(map[string]string, len(spelling))
	for k, sp := range spelling {
		best, n := "", 0
		for w, c := range sp {
			n += c
			if c > sp[best] || (c == sp[best] && w < best) {
				best = w
			}
		}
		canon[k] = best
		counts[best] = n
	}

	l := &language{stopRank: stopRank, tags: tags, stop: analysis.NewTokenMap()}
	if err := l.stop.LoadBytes(de.GermanStopWords); err != nil {
		return nil, err
	}
	for w := range counts {
		l.head = append(l.head, w)
	}
	slices.SortFunc(l.head, func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b))
	})
	l.headRank = make(map[string]int, len(l.head))
	hw := make([]float64, len(l.head))
	for i, w := range l.head {
		l.headRank[w] = i
		hw[i] = float64(counts[w])
	}
	l.headS = newSampler(hw)

	// Stichwörter by popularity in the sample (plus one, so each occurs),
	// and each one's topic: the content words of its articles.
	tagIndex := make(map[string]int, len(tags))
	tw := make([]float64, len(tags))
	topicCounts := make([]map[string]int, len(tags))
	for i, t := range tags {
		tagIndex[strings.ToLower(t)] = i
		tw[i] = 1
		topicCounts[i] = make(map[string]int)
	}
	for j, ws := range texts {
		for _, t := range textTags[j] {
			i, ok := tagIndex[strings.ToLower(t)]
			if !ok {
				continue
			}
			tw[i]++
			for _, w := range ws {
				w = canon[strings.ToLower(w)]
				if l.headRank[w] >= stopRank {
					topicCounts[i][w]++
				}
			}
		}
	}
	l.tagS = newSampler(tw)
	for i := range tags {
		tp := &topic{}
		for w := range topicCounts[i] {
			tp.words = append(tp.words, w)
		}
		if len(tp.words) == 0 { // a Stichwort no sample article has
			tp.words = l.head[stopRank:min(len(l.head), stopRank+500)]
		}
		slices.Sort(tp.words)
		weights := make([]float64, len(tp.words))
		for k, w := range tp.words {
			weights[k] = float64(max(1, topicCounts[i][w]))
		}
		tp.s = newSampler(weights)
		l.topics = append(l.topics, tp)
	}

	l.buildTail(parts)
	return l, nil
}

// isStop reports whether w is a German stop word.
func (l *language) isStop(w string) bool { return l.stop[strings.ToLower(w)] }

// rank is the frequency rank of w in the language: head words first,
// then the tail; unknown words last.
func (l *language) rank(w string) int {
	if r, ok := l.headRank[w]; ok {
		return r
	}
	if r, ok := l.tailRank[w]; ok {
		return len(l.head) + r
	}
	return len(l.head) + len(l.tail)
}

// buildTail generates the tail: inflected forms, compounds and hyphenated
// compounds, in a fixed pseudo-random order that is their Zipf rank.
func (l *language) buildTail(parts []string) {
	r := rand.New(rand.NewPCG(languageSeed, 1))
	// Parts that occur in the sample's words are productive in this
	// domain (daten, verwaltung, digital ...): they are drawn more often.
	// Each part weighs one plus the number of head words it occurs in.
	in := make(map[string]int)
	for _, w := range l.head {
		rs := []rune(strings.ToLower(w))
		seen := make(map[string]bool)
		for i := range rs {
			for j := i + 3; j <= len(rs); j++ {
				if sub := string(rs[i:j]); !seen[sub] {
					seen[sub] = true
					in[sub]++
				}
			}
		}
	}
	pw := make([]float64, len(parts))
	for i, p := range parts {
		pw[i] = 0.2 + float64(in[p])
	}
	partS := newSampler(pw)
	content := l.head[stopRank:]
	contentS := zipfSampler(len(content), 1.0)
	var abbrevs []string
	for _, w := range l.head {
		if n := utf8.RuneCountInString(w); n >= 2 && n <= 5 && w == strings.ToUpper(w) && !strings.ContainsFunc(w, unicode.IsDigit) {
			abbrevs = append(abbrevs, w)
		}
	}
	abbrevs = append(abbrevs, "E", "Online", "Open-Data", "Bund-Länder", "Smart-City", "Cloud")

	compound := func() string {
		n := 2
		if r.Float64() < 0.12 {
			n = 3
		}
		var b strings.Builder
		for k := range n {
			p := parts[partS.draw(r)]
			b.WriteString(p)
			if k < n-1 {
				b.WriteString(linkingElement(p, r))
			}
		}
		return capitalize(b.String())
	}
	var compounds []string
	seen := make(map[string]bool, tailSize+len(l.head))
	for _, w := range l.head {
		seen[w] = true
	}
	l.tail = make([]string, 0, tailSize)
	for len(l.tail) < tailSize {
		var w string
		switch x := r.Float64(); {
		case x < 0.35: // an inflected form
			base := content[contentS.draw(r)]
			if len(compounds) > 0 && r.Float64() < 0.4 {
				base = compounds[r.IntN(len(compounds))]
			}
			w = inflect(base, r)
		case x < 0.85:
			w = compound()
			compounds = append(compounds, w)
		default: // hyphenated
			if r.Float64() < 0.7 {
				w = abbrevs[r.IntN(len(abbrevs))] + "-" + compound()
			} else {
				w = capitalize(parts[partS.draw(r)]) + "-" + capitalize(parts[partS.draw(r)])
			}
		}
		if w == "" || seen[w] {
			continue
		}
		seen[w] = true
		l.tail = append(l.tail, w)
	}
	l.tailRank = make(map[string]int, len(l.tail))
	for i, w := range l.tail {
		l.tailRank[w] = i
	}
	l.tailS = zipfSampler(len(l.tail), tailZipfS)
}

// linkingElement is the Fugenelement between a compound's modifier p and
// the next part: always "s" after -ung, -heit, -keit ... (verwaltung + s +
// cloud), otherwise sometimes "s", "n" or "en", mostly nothing.
func linkingElement(p string, r *rand.Rand) string {
	for _, suf := range []string{"ung", "heit", "keit", "schaft", "ion", "tät", "tum", "ling", "ität"} {
		if strings.HasSuffix(p, suf) {
			return "s"
		}
	}
	switch x := r.Float64(); {
	case strings.HasSuffix(p, "e") && x < 0.4:
		return "n"
	case x < 0.12:
		return "s"
	case x < 0.18 && !strings.HasSuffix(p, "e"):
		return "en"
	}
	return ""
}

// inflect adds a declension or conjugation ending to w that fits its
// ending: nouns (written with a capital) get case and plural endings
// (Akte → Akten, Verwaltung → Verwaltungen, Bund → Bundes), other words
// adjective and verb endings (digital → digitalen). It returns "" for
// words that already look inflected.
func inflect(w string, r *rand.Rand) string {
	first, _ := utf8.DecodeRuneInString(w)
	has := func(sufs ...string) bool {
		for _, s := range sufs {
			if strings.HasSuffix(w, s) {
				return true
			}
		}
		return false
	}
	var endings []string
	switch noun := unicode.IsUpper(first); {
	case noun && has("ung", "heit", "keit", "schaft", "ion", "tät"):
		endings = []string{"en"}
	case noun && has("e", "er", "el"):
		endings = []string{"n", "s"}
	case noun && has("en", "ern", "s", "ß", "x", "z"):
		return ""
	case noun:
		endings = []string{"s", "es", "e", "en", "er"}
	case has("en", "em", "er", "es", "st", "te"):
		return ""
	case has("e"):
		endings = []string{"n", "r", "s", "m"}
	default:
		endings = []string{"e", "en", "er", "es", "em", "t", "te", "ten"}
	}
	return w + endings[r.IntN(len(endings))]
}

func capitalize(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	if n == 0 || unicode.IsUpper(r) {
		return w
	}
	return string(unicode.ToUpper(r)) + w[n:]
}

// splitWords returns the words of text: letters, with inner hyphens
// ("E-Akte", "Bund-Länder-Arbeitsgruppe"). Tokens with digits are left
// out; the generator writes its own numbers.
func splitWords(text string) []string {
	var out []string
	start := -1
	digit := false
	flush := func(end int) {
		if start >= 0 {
			w := strings.Trim(text[start:end], "-")
			if w != "" && !digit {
				out = append(out, w)
			}
		}
		start, digit = -1, false
	}
	for i, c := range text {
		switch {
		case unicode.IsLetter(c) || unicode.IsDigit(c) || (c == '-' && start >= 0):
			if start < 0 {
				start = i
			}
			digit = digit || unicode.IsDigit(c)
		default:
			flush(i)
		}
	}
	flush(len(text))
	return out
}

// readTagVocabulary reads the comma-separated list under the heading
// "## Stichwörter vocabulary" of FORMAT.md.
func readTagVocabulary(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	_, rest, ok := strings.Cut(string(data), "## Stichwörter vocabulary")
	if !ok {
		return nil, fmt.Errorf("%s: no section \"## Stichwörter vocabulary\"", path)
	}
	lines := strings.Split(rest, "\n")[1:]
	var list strings.Builder
	for _, ln := range lines {
		if strings.TrimSpace(ln) == "" || strings.HasPrefix(ln, "#") {
			break
		}
		list.WriteString(ln)
		list.WriteString(" ")
	}
	var tags []string
	for _, t := range strings.Split(list.String(), ",") {
		if t = strings.Join(strings.Fields(t), " "); t != "" {
			tags = append(tags, t)
		}
	}
	if len(tags) == 0 {
		return nil, fmt.Errorf("%s: empty Stichwörter vocabulary", path)
	}
	return tags, nil
}

// readLexicon returns the lexicon's parts of three letters or more.
func readLexicon(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var parts []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.TrimSpace(sc.Text())
		if w == "" || strings.HasPrefix(w, "#") || utf8.RuneCountInString(w) < 3 || strings.ContainsAny(w, " \t") {
			continue
		}
		parts = append(parts, w)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("%s: no parts", path)
	}
	return parts, nil
}
