package pdftext

import (
	"fmt"
	"strings"
	"testing"
)

// handmadePDF assembles a one-page PDF from a content stream and the
// objects of font F1 (object 4 onwards; 4 is the font dictionary), with a
// correct xref table. It lets tests and fuzz seeds use what fpdf never
// writes: bfchar maps, array destinations, TJ kerning, Tm, TL and T*.
func handmadePDF(content string, fontObjs ...string) []byte {
	return handmadePDFWith("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", content, fontObjs...)
}

// handmadePDFWith is handmadePDF with the page tree root (object 2) given.
func handmadePDFWith(pages, content string, fontObjs ...string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		pages,
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents " +
			fmt.Sprint(4+len(fontObjs)) + " 0 R >>",
	}
	objs = append(objs, fontObjs...)
	objs = append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content)+1, content))
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(b.String())
}

func stream(s string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(s)+1, s)
}

// type0Font is a composite font with two-byte codes 1…6 for the letters
// of "Größe", a ToUnicode map mixing bfchar, a bfrange with an array and
// a bfrange with a start value, and a W array in both forms.
func type0Font() []string {
	cmap := `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Test def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
2 beginbfchar
<0001> <0047>
<0002> <0072>
endbfchar
2 beginbfrange
<0003> <0004> [<00F6> <00DF>]
<0005> <0006> <0065>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end`
	return []string{
		"<< /Type /Font /Subtype /Type0 /BaseFont /Test /Encoding /Identity-H /DescendantFonts [5 0 R] /ToUnicode 6 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Test /DW 600 /W [1 [700 400] 3 6 550] >>",
		stream(cmap),
	}
}

// simpleFont is Helvetica with a Differences encoding that puts the fi
// ligature at code 1.
func simpleFont() []string {
	return []string{"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /Differences [1 /fi] >> >>"}
}

func TestExtractHandmade(t *testing.T) {
	tests := []struct {
		name    string
		content string
		font    []string
		want    string
	}{
		{"type0 with ToUnicode", "BT /F1 12 Tf 72 700 Td <00010002000300040005> Tj ET", type0Font(), "Größe"},
		{"TJ with word gap", "BT /F1 12 Tf 72 700 Td [<00010002> -40 <0003> -600 <00040005>] TJ ET", type0Font(), "Grö ße"},
		{"T* and TL", "BT /F1 12 Tf 14 TL 72 700 Td <0001> Tj T* <0002> Tj ET", type0Font(), "G r"},
		{"Tm lines with gap", "BT /F1 12 Tf 1 0 0 1 72 700 Tm <0001> Tj 1 0 0 1 72 686 Tm <0002> Tj 1 0 0 1 72 660 Tm <0003> Tj ET", type0Font(), "G r\n\nö"},
		{"quote operator", "BT /F1 12 Tf 14 TL 72 700 Td <0001> Tj (\\000\\002) ' ET", type0Font(), "G r"},
		{"differences ligature", "BT /F1 12 Tf 72 700 Td (\\001nden) Tj ET", simpleFont(), "finden"},
		{"scaled by cm", "q 2 0 0 2 0 0 cm BT /F1 6 Tf 36 350 Td (eins) Tj 0 -7 Td (zwei) Tj ET Q", simpleFont(), "eins zwei"},
		{"unknown font name", "BT /F9 12 Tf 72 700 Td (Text) Tj ET", simpleFont(), "Text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Extract(handmadePDF(tt.content, tt.font...))
			if err != nil {
				t.Fatal(err)
			}
			if res.Text != tt.want {
				t.Errorf("Text = %q, want %q", res.Text, tt.want)
			}
		})
	}
}
