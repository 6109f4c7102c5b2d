// Package pdftext turns the bytes of a PDF file into plain text for the
// index: the title, the publication date, the page count and the running
// text, with paragraphs separated by "\n\n".
//
// It reads the PDF with github.com/ledongthuc/pdf (pure Go) but walks the
// page contents itself, tracking text positions, because the library's own
// plain-text output glues lines and words together without spaces. From the
// positions it rebuilds lines and paragraphs, joins words hyphenated at a
// line end ("Verwal-" + "tung"), keeps real hyphens ("KI-Verordnung",
// "Landes- und Kommunalbehörden") and replaces typographic ligatures.
//
// It does not do OCR (a scan without a text layer gives ErrNoText), does not
// decrypt files that need a password (ErrEncrypted), ignores text inside
// form XObjects and annotations, and knows nothing about columns or tables
// beyond the order in which the file draws its text. It never panics: the
// parser library panics on malformed input, and Extract turns that into an
// error. It caps the pages and drawing operators it reads, but it has no
// clock of its own: callers that fetch PDFs from the web must bound the time
// (and the size of data) themselves.
package pdftext
