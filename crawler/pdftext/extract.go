package pdftext

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"
)

// Limits against huge or hostile files. A real resolution or report has a
// few hundred pages at most; anything beyond the caps is not read.
const (
	// MaxPages is the number of pages whose text Extract reads.
	MaxPages = 2000
	// maxOpsPerPage caps the content-stream operators interpreted per page,
	// so that a decompression bomb cannot keep one page busy forever.
	maxOpsPerPage = 2_000_000
	// maxTextBytes caps the text collected from the whole file.
	maxTextBytes = 16 << 20
	// maxTreeNodes caps the page-tree nodes visited, which also ends cycles
	// in a malformed page tree.
	maxTreeNodes = 4*MaxPages + 64
	// maxTreeDepth caps the nesting of the page tree and of inherited
	// attributes (Parent chains).
	maxTreeDepth = 64
	// maxTitleRunes shortens a title taken from the first line of text.
	maxTitleRunes = 200
)

// Errors callers branch on. Broken files give an error that wraps
// ErrMalformed together with the parser's message.
var (
	// ErrEncrypted means the file is encrypted with a password we do not have
	// (or with an encryption the parser does not support).
	ErrEncrypted = errors.New("pdftext: encrypted PDF")
	// ErrNoText means the file has no text layer, e.g. a scan without OCR.
	ErrNoText = errors.New("pdftext: no text layer")
	// ErrMalformed means the file could not be parsed.
	ErrMalformed = errors.New("pdftext: malformed PDF")
)

// Result is what Extract finds in a PDF.
type Result struct {
	// Title is the Info /Title of the file or, when that is missing or looks
	// like a file name, the first line of text.
	Title string
	// Text is the running text; paragraphs are separated by "\n\n", and
	// lines within a paragraph are joined with single spaces.
	Text string
	// Pages is the number of pages of the file, also when fewer were read.
	Pages int
	// Date is the Info /CreationDate or, when that is missing, the first
	// German date in the text (dd.mm.yyyy or "18. Oktober 2024"); the zero
	// time when neither exists.
	Date time.Time
}

// Extract returns the text of the PDF in data. Errors: ErrEncrypted,
// ErrNoText (no text layer), or a wrapped ErrMalformed for broken files; it
// never panics.
func Extract(data []byte) (Result, error) {
	res, encrypted, err := extract(data)
	if encrypted && (errors.Is(err, ErrMalformed) || errors.Is(err, ErrNoText)) {
		// The file opened with the empty user password, but the library
		// derives 40-bit RC4 keys wrongly (it does not shorten the object
		// key to n+5 bytes), so its streams may still be unreadable: then
		// the encryption is the cause, not a broken file.
		return Result{}, fmt.Errorf("%w: undecryptable content: %w", ErrEncrypted, err)
	}
	return res, err
}

// extract does the work of Extract and reports whether the file is
// encrypted.
func extract(data []byte) (res Result, encrypted bool, err error) {
	// The parser library reports most parse errors by panicking, also from
	// accessor methods deep inside the page walk; one recover here turns all
	// of them into an error.
	defer func() {
		if r := recover(); r != nil {
			res = Result{}
			err = fmt.Errorf("%w: %v", ErrMalformed, r)
		}
	}()

	if err := checkStructure(data); err != nil {
		return Result{}, false, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	r, err := open(data)
	if err != nil {
		return Result{}, false, err
	}
	encrypted = !r.Trailer().Key("Encrypt").IsNull()

	pages, declared := collectPages(r)
	var paras []paragraph
	budget := maxTextBytes
	for i, page := range pages {
		lines := buildLines(orderColumns(pageFragments(page, &budget)))
		paras = append(paras, paragraphs(lines, i+1)...)
		if budget <= 0 {
			break
		}
	}

	res.Text = joinParagraphs(paras)
	if strings.TrimSpace(res.Text) == "" {
		return Result{}, encrypted, ErrNoText
	}
	res.Pages = len(pages)
	if len(pages) == MaxPages && declared > res.Pages {
		res.Pages = declared
	}

	info := r.Trailer().Key("Info")
	res.Title = cleanTitle(info.Key("Title").Text())
	if res.Title == "" {
		res.Title = firstLine(paras)
	}
	if d, ok := parsePDFDate(info.Key("CreationDate").Text()); ok {
		res.Date = d
	} else if d, ok := findGermanDate(res.Text); ok {
		res.Date = d
	}
	return res, encrypted, nil
}

// open parses the file structure and maps the parser's errors to ours.
func open(data []byte) (*pdf.Reader, error) {
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err == nil {
		return r, nil
	}
	// The library tries the empty user password itself; when that fails it
	// reports ErrInvalidPassword, and for encryption it cannot handle some
	// other message. An /Encrypt entry anywhere means the latter.
	if errors.Is(err, pdf.ErrInvalidPassword) || bytes.Contains(data, []byte("/Encrypt")) {
		return nil, fmt.Errorf("%w: %v", ErrEncrypted, err)
	}
	return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
}

// collectPages walks the page tree in document order and returns at most
// MaxPages pages, plus the page count the tree declares. It does not use
// pdf.Reader.Page, which restarts at the root for every page and loops
// forever on a page tree with a cycle.
func collectPages(r *pdf.Reader) ([]pdf.Value, int) {
	root := r.Trailer().Key("Root").Key("Pages")
	declared := int(min(max(root.Key("Count").Int64(), 0), 1<<30))
	var pages []pdf.Value
	visited := 0
	var walk func(node pdf.Value, depth int)
	walk = func(node pdf.Value, depth int) {
		if len(pages) >= MaxPages || visited >= maxTreeNodes || depth > maxTreeDepth {
			return
		}
		visited++
		kids := node.Key("Kids")
		if node.Key("Type").Name() == "Pages" || kids.Kind() == pdf.Array {
			for i := 0; i < kids.Len(); i++ {
				walk(kids.Index(i), depth+1)
			}
			return
		}
		if node.Kind() == pdf.Dict {
			pages = append(pages, node)
		}
	}
	walk(root, 0)
	return pages, declared
}

// inherited looks key up in the page and its ancestors, as the PDF page
// tree allows for Resources. The depth cap ends Parent cycles.
func inherited(page pdf.Value, key string) pdf.Value {
	v := page
	for range maxTreeDepth {
		if v.IsNull() {
			break
		}
		if x := v.Key(key); !x.IsNull() {
			return x
		}
		v = v.Key("Parent")
	}
	return pdf.Value{}
}
