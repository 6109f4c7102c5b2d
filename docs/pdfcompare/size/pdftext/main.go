// Command pdftext prints the text of a PDF with stichwort's crawler/pdftext.
package main

import (
	"fmt"
	"os"

	"stichwort/crawler/pdftext"
)

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	res, err := pdftext.Extract(data)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Text)
}
