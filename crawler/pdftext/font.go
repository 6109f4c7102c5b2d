package pdftext

import "github.com/ledongthuc/pdf"

// Caps on what one font may make us allocate.
const (
	maxWidths     = 1 << 16 // entries of a Widths or W array
	maxCMapChars  = 1 << 16 // bfchar entries of a ToUnicode CMap
	maxCMapRanges = 1 << 12 // bfrange entries, searched linearly
	maxFonts      = 256     // distinct fonts per page
)

// font knows what a PDF font needs for text extraction: how to split a
// shown string into character codes, their widths, and their Unicode text.
type font struct {
	twoByte bool // Type0 (composite) fonts use two-byte codes here
	// widths in thousandths of the font size: simple fonts by code from
	// first; composite fonts in cidWidths and cidRanges.
	first      int
	widths     []float64
	cidWidths  map[int]float64
	cidRanges  []cidRange
	defWidth   float64
	toUnicode  *cmap            // nil when the font has no usable ToUnicode
	libEncoder pdf.TextEncoding // the library's encoding otherwise
}

type cidRange struct {
	lo, hi int
	w      float64
}

// fontCache builds each font of a page's resources once.
type fontCache struct {
	dict  pdf.Value // the /Font resource dictionary
	fonts map[string]*font
}

func newFontCache(dict pdf.Value) *fontCache {
	return &fontCache{dict: dict, fonts: make(map[string]*font)}
}

// get returns the font with the resource name, or a fallback font that
// decodes bytes as PDFDocEncoding when the name is unknown.
func (c *fontCache) get(name string) *font {
	if f, ok := c.fonts[name]; ok {
		return f
	}
	f := newFont(c.dict.Key(name))
	if len(c.fonts) < maxFonts {
		c.fonts[name] = f
	}
	return f
}

func newFont(v pdf.Value) *font {
	f := &font{}
	if v.Key("Subtype").Name() == "Type0" {
		f.twoByte = true
		desc := v.Key("DescendantFonts").Index(0)
		f.defWidth = 1000
		if dw := desc.Key("DW"); !dw.IsNull() {
			f.defWidth = dw.Float64()
		}
		f.cidWidths, f.cidRanges = readCIDWidths(desc.Key("W"))
	} else {
		f.first = int(v.Key("FirstChar").Int64())
		ws := v.Key("Widths")
		for i := 0; i < min(ws.Len(), maxWidths); i++ {
			f.widths = append(f.widths, ws.Index(i).Float64())
		}
		f.defWidth = v.Key("FontDescriptor").Key("MissingWidth").Float64()
		if len(f.widths) == 0 {
			// The standard 14 fonts may come without widths; half an em
			// is close enough to tell a word gap from the next letter.
			f.defWidth = 500
		}
	}
	if tu := v.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		f.toUnicode = readCMap(tu, v)
	}
	if f.toUnicode == nil {
		lib := pdf.Font{V: v}
		f.libEncoder = lib.Encoder()
	}
	return f
}

// readCIDWidths reads the W array of a CIDFont:
// [c [w1 w2 …] cfirst clast w …].
func readCIDWidths(w pdf.Value) (map[int]float64, []cidRange) {
	widths := make(map[int]float64)
	var ranges []cidRange
	for i := 0; i+1 < w.Len() && len(widths)+len(ranges) < maxWidths; {
		c := int(w.Index(i).Int64())
		next := w.Index(i + 1)
		if next.Kind() == pdf.Array {
			for j := 0; j < min(next.Len(), maxWidths); j++ {
				widths[c+j] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		if i+2 >= w.Len() {
			break
		}
		ranges = append(ranges, cidRange{lo: c, hi: int(next.Int64()), w: w.Index(i + 2).Float64()})
		i += 3
	}
	return widths, ranges
}

// eachCode calls fn for every character code in s. single reports a
// one-byte code, the only kind to which word spacing (Tw) applies.
func (f *font) eachCode(s string, fn func(code int, single bool)) {
	if f.twoByte {
		for i := 0; i+1 < len(s); i += 2 {
			fn(int(s[i])<<8|int(s[i+1]), false)
		}
		return
	}
	for i := 0; i < len(s); i++ {
		fn(int(s[i]), true)
	}
}

// width returns the advance of code in thousandths of the font size.
func (f *font) width(code int) float64 {
	if f.twoByte {
		if w, ok := f.cidWidths[code]; ok {
			return w
		}
		for _, r := range f.cidRanges {
			if r.lo <= code && code <= r.hi {
				return r.w
			}
		}
		return f.defWidth
	}
	if i := code - f.first; i >= 0 && i < len(f.widths) && f.widths[i] > 0 {
		return f.widths[i]
	}
	if f.defWidth == 0 {
		return 500
	}
	return f.defWidth
}

// decode returns the Unicode text of the codes in s.
func (f *font) decode(s string) string {
	if f.toUnicode != nil {
		codeLen := 1
		if f.twoByte {
			codeLen = 2
		}
		return f.toUnicode.decode(s, codeLen)
	}
	return f.libEncoder.Decode(s)
}
