package pdftext

import (
	"math"

	"github.com/ledongthuc/pdf"
)

// fragment is one piece of text as a show-text operator draws it, in page
// coordinates (points, origin bottom left).
type fragment struct {
	x0, x1 float64 // start and end of the baseline
	y      float64 // baseline
	size   float64 // effective font size
	text   string
}

// matrix is a PDF transformation matrix [a b c d e f] in the spec's
// row-vector convention: a point p is transformed as p × M.
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n, i.e. first m, then n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2],
		m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2],
		m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4],
		m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func translate(tx, ty float64) matrix { return matrix{1, 0, 0, 1, tx, ty} }

// gstate is the part of the graphics state that q and Q save and restore
// and that matters for text positions.
type gstate struct {
	ctm       matrix
	font      *font
	size      float64 // Tfs
	charSpace float64 // Tc
	wordSpace float64 // Tw
	scale     float64 // Th
	leading   float64 // TL
	rise      float64 // Ts
}

// limitReached is panicked from inside pdf.Interpret to stop reading a
// page early; pageFragments recovers it and keeps what it has.
type limitReached struct{}

// pageFragments interprets the content streams of one page and returns its
// text fragments in drawing order. budget is the number of text bytes the
// whole extraction may still collect; pageFragments decreases it.
func pageFragments(page pdf.Value, budget *int) (frags []fragment) {
	contents := page.Key("Contents")
	if contents.IsNull() || *budget <= 0 {
		return nil
	}
	fonts := newFontCache(inherited(page, "Resources").Key("Font"))

	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(limitReached); !ok {
				panic(r) // a parse error: Extract reports it
			}
		}
	}()

	g := gstate{ctm: identity, scale: 1}
	var stack []gstate
	var tm, tlm matrix = identity, identity
	ops := 0

	// show draws the string s and advances the text matrix.
	show := func(s string) {
		if g.font == nil {
			g.font = fonts.get("")
		}
		start := g.origin(tm)
		adv := 0.0
		g.font.eachCode(s, func(code int, single bool) {
			w := g.font.width(code)/1000*g.size + g.charSpace
			if single && code == ' ' {
				w += g.wordSpace
			}
			adv += w * g.scale
		})
		tm = translate(adv, 0).mul(tm)
		text := g.font.decode(s)
		if text == "" {
			return
		}
		end := g.origin(tm)
		frags = append(frags, fragment{
			x0: start.x, x1: end.x, y: start.y,
			size: g.fontSize(tm),
			text: text,
		})
		*budget -= len(text)
		if *budget <= 0 {
			panic(limitReached{})
		}
	}
	nextLine := func() {
		tlm = translate(0, -g.leading).mul(tlm)
		tm = tlm
	}

	pdf.Interpret(contents, func(stk *pdf.Stack, op string) {
		ops++
		if ops > maxOpsPerPage {
			panic(limitReached{})
		}
		args := popArgs(stk)
		switch op {
		case "q":
			stack = append(stack, g)
		case "Q":
			if n := len(stack); n > 0 {
				g, stack = stack[n-1], stack[:n-1]
			}
		case "cm":
			if m, ok := toMatrix(args); ok {
				g.ctm = m.mul(g.ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tf":
			if len(args) == 2 {
				g.font = fonts.get(args[0].Name())
				g.size = args[1].Float64()
			}
		case "Tc":
			g.charSpace = num(args, 0)
		case "Tw":
			g.wordSpace = num(args, 0)
		case "Tz":
			g.scale = num(args, 0) / 100
		case "TL":
			g.leading = num(args, 0)
		case "Ts":
			g.rise = num(args, 0)
		case "Td", "TD":
			if len(args) == 2 {
				if op == "TD" {
					g.leading = -args[1].Float64()
				}
				tlm = translate(args[0].Float64(), args[1].Float64()).mul(tlm)
				tm = tlm
			}
		case "Tm":
			if m, ok := toMatrix(args); ok {
				tm, tlm = m, m
			}
		case "T*":
			nextLine()
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "'":
			if len(args) == 1 {
				nextLine()
				show(args[0].RawString())
			}
		case "\"":
			if len(args) == 3 {
				g.wordSpace = args[0].Float64()
				g.charSpace = args[1].Float64()
				nextLine()
				show(args[2].RawString())
			}
		case "TJ":
			if len(args) != 1 {
				return
			}
			arr := args[0]
			for i := 0; i < arr.Len(); i++ {
				x := arr.Index(i)
				switch x.Kind() {
				case pdf.String:
					show(x.RawString())
				case pdf.Integer, pdf.Real:
					tx := -x.Float64() / 1000 * g.size * g.scale
					tm = translate(tx, 0).mul(tm)
				}
			}
		}
	})
	return frags
}

type point struct{ x, y float64 }

// origin is where the next glyph is drawn, in page coordinates.
func (g *gstate) origin(tm matrix) point {
	m := translate(0, g.rise).mul(tm).mul(g.ctm)
	return point{m[4], m[5]}
}

// fontSize is the font size after the text and graphics transforms, i.e.
// the height of the text on the page.
func (g *gstate) fontSize(tm matrix) float64 {
	m := tm.mul(g.ctm)
	return math.Abs(g.size) * math.Hypot(m[2], m[3])
}

// popArgs empties the operand stack, first operand first.
func popArgs(stk *pdf.Stack) []pdf.Value {
	n := stk.Len()
	args := make([]pdf.Value, n)
	for i := n - 1; i >= 0; i-- {
		args[i] = stk.Pop()
	}
	return args
}

func num(args []pdf.Value, i int) float64 {
	if i >= len(args) {
		return 0
	}
	return args[i].Float64()
}

func toMatrix(args []pdf.Value) (matrix, bool) {
	if len(args) != 6 {
		return matrix{}, false
	}
	var m matrix
	for i := range m {
		m[i] = args[i].Float64()
	}
	return m, true
}
