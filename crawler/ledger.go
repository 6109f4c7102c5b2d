package crawler

import (
	"context"
	"fmt"

	"stichwort"
	"stichwort/crawler/state"
)

// ledger is the crawl state as the coordinator sees it during a run: the
// committed store plus the writes and documents of the batch in progress.
// Reads see pending writes first. Only the coordinator goroutine uses it.
type ledger struct {
	store *state.Store
	batch *state.Batch
	docs  []stichwort.Document
	// docAt indexes docs by id: a document sent twice within one batch (a
	// PDF re-sent with a new parent) replaces its earlier version.
	docAt map[string]int
}

func newLedger(store *state.Store) *ledger {
	return &ledger{store: store, batch: new(state.Batch), docAt: make(map[string]int)}
}

func (l *ledger) page(url string) (state.Page, bool, error) {
	if p, ok := l.batch.Page(url); ok {
		return p, true, nil
	}
	return l.store.Page(url)
}

func (l *ledger) pdf(url string) (state.PDF, bool, error) {
	if p, ok := l.batch.PDF(url); ok {
		return p, true, nil
	}
	return l.store.PDF(url)
}

func (l *ledger) doc(id string) (state.Doc, bool, error) {
	if d, ok := l.batch.Doc(id); ok {
		return d, true, nil
	}
	return l.store.Doc(id)
}

func (l *ledger) hashOwner(hash string) (string, bool, error) {
	if id, ok := l.batch.HashOwner(hash); ok {
		return id, id != "", nil
	}
	return l.store.HashOwner(hash)
}

func (l *ledger) putPage(p state.Page)          { l.batch.PutPage(p) }
func (l *ledger) putPDF(p state.PDF)            { l.batch.PutPDF(p) }
func (l *ledger) putDoc(id string, d state.Doc) { l.batch.PutDoc(id, d) }
func (l *ledger) putHash(hash, id string)       { l.batch.PutHash(hash, id) }
func (l *ledger) deleteHash(hash string)        { l.batch.DeleteHash(hash) }
func (l *ledger) putRun(r state.Run)            { l.batch.PutRun(r) }
func (l *ledger) clearRun()                     { l.batch.ClearRun() }
func (l *ledger) doneJob(url string)            { l.batch.DoneJob(url) }

// queue records a URL queued in the frontier and seen by the run.
func (l *ledger) queue(j state.Job) {
	l.batch.PutJob(j)
	l.batch.PutSeen(j.URL)
}

func (l *ledger) pendingDocs() int    { return len(l.docs) }
func (l *ledger) pendingRecords() int { return l.batch.Len() }

// send queues a document for the next Sink call.
func (l *ledger) send(d stichwort.Document) {
	if i, ok := l.docAt[d.ID]; ok {
		l.docs[i] = d
		return
	}
	l.docAt[d.ID] = len(l.docs)
	l.docs = append(l.docs, d)
}

// flush hands the pending documents to the sink and, only if it took them,
// commits the pending state. It returns the number of documents delivered.
func (l *ledger) flush(ctx context.Context, sink Sink) (int, error) {
	n := len(l.docs)
	if n > 0 {
		if err := sink(ctx, l.docs); err != nil {
			return 0, fmt.Errorf("crawler: sink: %w", err)
		}
	}
	if err := l.store.Commit(l.batch); err != nil {
		return 0, fmt.Errorf("crawler: %w", err)
	}
	l.batch = new(state.Batch)
	l.docs = nil
	l.docAt = make(map[string]int)
	return n, nil
}
