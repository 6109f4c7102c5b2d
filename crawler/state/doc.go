// Package state keeps what the crawler knows about the web between runs:
// per URL the validators of the last fetch (ETag, Last-Modified), the time of
// that fetch and the links the page had, so a later run can send conditional
// requests and rebuild its frontier from a 304 without downloading the page
// again; per document the content hash and a fingerprint of what was last
// delivered, so unchanged documents are not sent twice and one article under
// two URLs is indexed once; per PDF its extracted text and the articles that
// link it, so a PDF can be re-sent with merged parents and Stichwörter;
// and the frontier of a run that has not finished (its queued URLs, the URLs
// it has seen, its scope), so a run killed or stopped mid-way is resumed
// without fetching again what it had handled.
//
// The store is a bbolt file, or a map when no path is given. Records are
// JSON. A Batch is written in one transaction: the crawler commits it after
// the index has taken the documents of that batch, which makes a crash lose
// at most one batch of work. The package does not decide what is changed or
// in scope; that is the crawler's business.
package state
