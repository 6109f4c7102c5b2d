package main

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/responses"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/ledongthuc/pdf"
	"github.com/tetratelabs/wazero"
	rscpdf "rsc.io/pdf"

	"stichwort/crawler/pdftext"
)

func stichwortExtract(data []byte) (string, error) {
	res, err := pdftext.Extract(data)
	return res.Text, err
}

func ledongthucPlain(data []byte) (s string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", err
	}
	rd, err := r.GetPlainText()
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	_, err = b.ReadFrom(rd)
	return b.String(), err
}

// newPdfium starts a pool with one pdfium WebAssembly instance (wazero) and
// returns an extractor that reads every page with FPDFText_GetText, pages
// separated by a blank line. The instance gets no file system: the
// document is handed over as bytes.
func newPdfium() (func([]byte) (string, error), func(), error) {
	pool, err := webassembly.Init(webassembly.Config{
		MinIdle: 1, MaxIdle: 1, MaxTotal: 1, ReuseWorkers: true,
		// The default mounts the host's "/" into the module; a crawler
		// hands over bytes and needs no file system.
		FSConfig: wazero.NewFSConfig(),
	})
	if err != nil {
		return nil, nil, err
	}
	inst, err := pool.GetInstance(30 * time.Second)
	if err != nil {
		return nil, nil, err
	}
	extract := func(data []byte) (string, error) {
		doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
		if err != nil {
			return "", err
		}
		defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
		pc, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
		if err != nil {
			return "", err
		}
		var b strings.Builder
		for i := range pc.PageCount {
			page, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc.Document, Index: i})
			if err != nil {
				return "", err
			}
			tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: requests.Page{ByReference: &page.Page}})
			if err != nil {
				inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
				return "", err
			}
			n, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
			if err == nil {
				var t *responses.FPDFText_GetText
				t, err = inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, Count: n.Count})
				if err == nil {
					if i > 0 {
						b.WriteString("\n\n")
					}
					b.WriteString(t.Text)
				}
			}
			inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
			inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
			if err != nil {
				return "", err
			}
		}
		return b.String(), nil
	}
	closeFn := func() {
		inst.Close()
		pool.Close()
	}
	return extract, closeFn, nil
}

// rscNaive reads the glyphs of each page with rsc.io/pdf (the package
// ledongthuc/pdf was forked from) and makes lines the simplest way: group
// by baseline, sort by x, a space where the gap is wider than 0.15 em.
// This is what "use rsc.io/pdf" costs before any layout work.
func rscNaive(data []byte) (s string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	r, err := rscpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		texts := p.Content().Text
		sort.SliceStable(texts, func(a, c int) bool {
			if math.Abs(texts[a].Y-texts[c].Y) > 1 {
				return texts[a].Y > texts[c].Y
			}
			return texts[a].X < texts[c].X
		})
		var lastY, lastEnd float64
		for k, t := range texts {
			switch {
			case k == 0:
			case math.Abs(t.Y-lastY) > 1:
				b.WriteString("\n")
			case t.X-lastEnd > 0.15*t.FontSize:
				b.WriteString(" ")
			}
			b.WriteString(t.S)
			lastY, lastEnd = t.Y, t.X+t.W
		}
		b.WriteString("\n\n")
	}
	return b.String(), nil
}
