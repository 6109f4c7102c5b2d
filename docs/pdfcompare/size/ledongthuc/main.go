// Command ledongthuc prints the text of a PDF with GetPlainText.
package main

import (
	"bytes"
	"io"
	"os"

	"github.com/ledongthuc/pdf"
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
	rd, err := r.GetPlainText()
	if err != nil {
		panic(err)
	}
	io.Copy(os.Stdout, rd)
}
