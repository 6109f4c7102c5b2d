// Command stichwort-sitegen regenerates the sample site testdata/site from
// the sources in testdata/articles (see testdata/articles/FORMAT.md):
//
//	go run ./cmd/stichwort-sitegen [-src testdata/articles] [-out testdata/site]
//
// Run it from the module root after editing a source, and commit the
// result; internal/samplesite's TestSiteIsUpToDate fails until you do.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"stichwort/internal/samplesite"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "stichwort-sitegen: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("stichwort-sitegen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := fs.String("src", "testdata/articles", "directory with the article sources (and pdfs/)")
	out := fs.String("out", "testdata/site", "output directory; its www/ and dokumente/ are replaced")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return samplesite.Generate(*src, *out)
}
