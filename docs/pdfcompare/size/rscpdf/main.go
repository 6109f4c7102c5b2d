// Command rscpdf prints the glyphs of a PDF with rsc.io/pdf.
package main

import (
	"bytes"
	"fmt"
	"os"

	"rsc.io/pdf"
)

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		panic(err)
	}
	for i := 1; i <= r.NumPage(); i++ {
		for _, t := range r.Page(i).Content().Text {
			fmt.Print(t.S)
		}
	}
}
