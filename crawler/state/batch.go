package state

// Batch collects writes that Store.Commit applies in one transaction.
// The zero value is ready to use. A later write to the same key replaces the
// earlier one. Batch is not safe for concurrent use.
type Batch struct {
	pages  map[string]Page
	pdfs   map[string]PDF
	docs   map[string]Doc
	hashes map[string]string // content hash → doc id; "" deletes

	// The frontier of the run in progress.
	run      *Run
	jobs     map[string]*Job // nil value: the job is done
	seen     map[string]bool
	clearRun bool
}

// PutPage records the fetch state of p.URL.
func (b *Batch) PutPage(p Page) {
	if b.pages == nil {
		b.pages = make(map[string]Page)
	}
	b.pages[p.URL] = p
}

// PutPDF records the content and parents of p.URL.
func (b *Batch) PutPDF(p PDF) {
	if b.pdfs == nil {
		b.pdfs = make(map[string]PDF)
	}
	b.pdfs[p.URL] = p
}

// PutDoc records what was delivered for the document id.
func (b *Batch) PutDoc(id string, d Doc) {
	if b.docs == nil {
		b.docs = make(map[string]Doc)
	}
	b.docs[id] = d
}

// PutHash records that the content hash belongs to the document id.
func (b *Batch) PutHash(hash, id string) {
	if b.hashes == nil {
		b.hashes = make(map[string]string)
	}
	b.hashes[hash] = id
}

// DeleteHash forgets the owner of a content hash.
func (b *Batch) DeleteHash(hash string) { b.PutHash(hash, "") }

// PutRun records the run in progress.
func (b *Batch) PutRun(r Run) { b.run = &r }

// PutJob records a URL that waits in the frontier.
func (b *Batch) PutJob(j Job) {
	if b.jobs == nil {
		b.jobs = make(map[string]*Job)
	}
	b.jobs[j.URL] = &j
}

// DoneJob removes a URL from the stored frontier: it has been handled.
func (b *Batch) DoneJob(url string) {
	if b.jobs == nil {
		b.jobs = make(map[string]*Job)
	}
	b.jobs[url] = nil
}

// PutSeen records that the run has queued url, so a resumed run does not
// queue it again.
func (b *Batch) PutSeen(url string) {
	if b.seen == nil {
		b.seen = make(map[string]bool)
	}
	b.seen[url] = true
}

// ClearRun forgets the run, its frontier and its seen URLs: the run
// finished. Frontier writes made before in this batch are dropped; those
// made after are kept.
func (b *Batch) ClearRun() {
	b.clearRun = true
	b.run, b.jobs, b.seen = nil, nil, nil
}

// Page returns the page written to the batch, if any.
func (b *Batch) Page(url string) (Page, bool) { p, ok := b.pages[url]; return p, ok }

// PDF returns the PDF written to the batch, if any.
func (b *Batch) PDF(url string) (PDF, bool) { p, ok := b.pdfs[url]; return p, ok }

// Doc returns the doc written to the batch, if any.
func (b *Batch) Doc(id string) (Doc, bool) { d, ok := b.docs[id]; return d, ok }

// HashOwner returns the owner written to the batch; ok with an empty id
// means the hash was deleted.
func (b *Batch) HashOwner(hash string) (id string, ok bool) { id, ok = b.hashes[hash]; return id, ok }

// Len is the number of records in the batch.
func (b *Batch) Len() int {
	n := len(b.pages) + len(b.pdfs) + len(b.docs) + len(b.hashes) + len(b.jobs) + len(b.seen)
	if b.run != nil || b.clearRun {
		n++
	}
	return n
}
