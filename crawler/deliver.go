package crawler

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"stichwort"
	"stichwort/crawler/extract"
	"stichwort/crawler/state"
)

// article decides about an extracted article: unchanged (same fingerprint
// as delivered before), duplicate (its text is indexed under another id,
// or it was reached twice in this run), or new or changed, then sent. A
// sent article updates the parents of the PDFs it links.
func (r *run) article(j *job, a *extract.Article, rec *state.Page) error {
	doc := articleDocument(a, r.c.now())
	prev, _, err := r.led.page(j.key)
	if err != nil {
		return fmt.Errorf("crawler: %w", err)
	}
	rec.DocID = doc.ID
	for _, p := range a.PDFs {
		rec.PDFs = append(rec.PDFs, p.URL)
	}
	if r.sent[doc.ID] {
		r.log.Debug("duplicate in this run", slog.String("url", j.key), slog.String("doc", doc.URL))
		r.c.count(func(s *Stats) { s.Duplicates++ })
		return nil
	}
	r.sent[doc.ID] = true

	fp := fingerprint(doc)
	old, known, err := r.led.doc(doc.ID)
	if err != nil {
		return fmt.Errorf("crawler: %w", err)
	}
	if known && old.Fingerprint == fp {
		r.c.count(func(s *Stats) { s.Unchanged++ })
		return nil
	}
	owner, owned, err := r.led.hashOwner(doc.Hash)
	if err != nil {
		return fmt.Errorf("crawler: %w", err)
	}
	if owned && owner != doc.ID {
		r.log.Info("duplicate content", slog.String("url", j.key), slog.String("indexed_as", owner))
		r.c.count(func(s *Stats) { s.Duplicates++ })
		rec.PDFs = nil
		return nil
	}
	r.deliver(doc, fp, old, known)
	return r.updateParents(doc, a.PDFs, prev.PDFs)
}

// deliver queues a document and records what was sent.
func (r *run) deliver(doc stichwort.Document, fp string, old state.Doc, known bool) {
	r.led.send(doc)
	r.led.putDoc(doc.ID, state.Doc{URL: doc.URL, Hash: doc.Hash, Fingerprint: fp, SentAt: r.c.now()})
	r.led.putHash(doc.Hash, doc.ID)
	if known && old.Hash != doc.Hash {
		if o, ok, _ := r.led.hashOwner(old.Hash); ok && o == doc.ID {
			r.led.deleteHash(old.Hash)
		}
	}
	r.log.Debug("document", slog.String("url", doc.URL), slog.String("type", doc.Type), slog.Bool("update", known))
}

// updateParents records the article as parent of the PDFs it links now and
// removes it from those it linked before but no longer does. PDFs already
// extracted are re-sent with their new parents and Stichwörter.
func (r *run) updateParents(doc stichwort.Document, pdfs []extract.Link, before []string) error {
	linked := make(map[string]bool, len(pdfs))
	for _, l := range pdfs {
		linked[l.URL] = true
		p, _, err := r.led.pdf(l.URL)
		if err != nil {
			return fmt.Errorf("crawler: %w", err)
		}
		p.URL = l.URL
		par := state.Parent{URL: doc.URL, Date: doc.Date, Tags: doc.Tags, LinkText: l.Text}
		i := slices.IndexFunc(p.Parents, func(x state.Parent) bool { return x.URL == doc.URL })
		switch {
		case i < 0:
			// Sorted by URL, so the merged Stichwörter (the first spelling
			// wins) do not depend on the order of fetching.
			j, _ := slices.BinarySearchFunc(p.Parents, par.URL, func(x state.Parent, u string) int { return strings.Compare(x.URL, u) })
			p.Parents = slices.Insert(p.Parents, j, par)
		case parentEqual(p.Parents[i], par):
			continue
		default:
			p.Parents[i] = par
		}
		r.led.putPDF(p)
		if err := r.sendPDF(p); err != nil {
			return err
		}
	}
	for _, u := range before {
		if linked[u] {
			continue
		}
		p, ok, err := r.led.pdf(u)
		if err != nil {
			return fmt.Errorf("crawler: %w", err)
		}
		if !ok {
			continue
		}
		n := len(p.Parents)
		p.Parents = slices.DeleteFunc(p.Parents, func(x state.Parent) bool { return x.URL == doc.URL })
		if len(p.Parents) == n {
			continue
		}
		r.led.putPDF(p)
		if err := r.sendPDF(p); err != nil {
			return err
		}
	}
	return nil
}

func parentEqual(a, b state.Parent) bool {
	return a.URL == b.URL && a.Date.Equal(b.Date) && a.LinkText == b.LinkText && slices.Equal(a.Tags, b.Tags)
}

// pdf handles a fetched PDF: store its text and send its document.
func (r *run) pdf(j *job, pr *pdfResult) error {
	p, _, err := r.led.pdf(j.origin)
	if err != nil {
		return fmt.Errorf("crawler: %w", err)
	}
	p.URL = j.origin
	p.FetchedAt = r.c.now()
	if pr.err != nil {
		r.log.Warn("pdf has no usable text", slog.String("url", j.key), slog.Any("err", pr.err))
		r.c.count(func(s *Stats) { s.Failed++ })
		p.Error = pr.err.Error()
		r.led.putPDF(p)
		return nil
	}
	p.DocURL = j.key
	p.Extracted = true
	p.Error = ""
	p.Title = pr.res.Title
	p.Text = pr.res.Text
	p.Pages = pr.res.Pages
	p.Date = pr.res.Date
	p.Hash = contentHash(pr.res.Text)
	r.led.putPDF(p)
	return r.sendPDF(p)
}

// sendPDF sends the PDF's document if it was extracted and differs from
// what was delivered before.
func (r *run) sendPDF(p state.PDF) error {
	if !p.Extracted {
		return nil // its fetch will send it, with the parents known then
	}
	doc := pdfDocument(p)
	fp := fingerprint(doc)
	old, known, err := r.led.doc(doc.ID)
	if err != nil {
		return fmt.Errorf("crawler: %w", err)
	}
	if known && old.Fingerprint == fp {
		r.c.count(func(s *Stats) { s.Unchanged++ })
		return nil
	}
	r.deliver(doc, fp, old, known)
	return nil
}

// maybeFlush delivers the batch when it is full, and commits the state
// when many records without documents have piled up.
func (r *run) maybeFlush(ctx context.Context) error {
	if r.led.pendingDocs() >= r.cfg.BatchSize || r.led.pendingRecords() >= 10*r.cfg.BatchSize {
		return r.flush(ctx)
	}
	return nil
}

func (r *run) flush(ctx context.Context) error {
	if !r.finished {
		r.led.putRun(r.record())
	}
	n, err := r.led.flush(ctx, r.c.sink)
	if err != nil {
		return err
	}
	if n > 0 {
		r.c.count(func(s *Stats) { s.Documents += n })
		r.log.Info("batch delivered", slog.Int("documents", n))
	}
	return nil
}
