package pdftext

import (
	"math"
	"slices"
)

// Column detection. Some producers draw a two-column page line by line
// across the page (left line, right line, next left line, …); in drawing
// order the columns' lines interleave. orderColumns finds the gutters of
// such a page from the positions of the text and puts the fragments in
// reading order: column by column, top to bottom, with lines that span
// the gutter (headings, centred footers) kept between the blocks of
// columns above and below them. A page without a clear column layout keeps
// its drawing order.
const (
	// runGap splits a line into runs where two fragments on one baseline
	// are further apart than this many ems: far wider than a word space,
	// as between two columns.
	runGap = 1.0
	// minGutter is the narrowest gutter, in ems of the page's body size.
	minGutter = 1.0
	// minColumnEms is the narrowest column: text columns hold at least some
	// 20 characters; narrower "columns" are the cells of a table, which
	// stay in rows.
	minColumnEms = 10.0
	// minColumnRows is the fewest lines a column needs.
	minColumnRows = 3
	// minFill is the share of the column width that the median line of a
	// column must fill: lines of running text reach the column's right
	// edge, cells of a table mostly do not.
	minFill = 0.7
	// maxSpanShare is the largest share of the page's lines that may cross
	// a gutter (headings, full-width lines, footers).
	maxSpanShare = 1.0 / 3
	// maxSpanLevel caps the number of crossing lines tried.
	maxSpanLevel = 12
	// maxColumnRuns skips the detection on pages with more runs than a
	// page of text has.
	maxColumnRuns = 4000
)

// run is a piece of a line without a wide gap: the fragments frags[i:j]
// in drawing order.
type run struct {
	x0, x1, y float64
	size      float64
	i, j      int
}

// textRuns splits the fragments into runs: consecutive fragments on one
// baseline that move right with gaps of at most runGap ems.
func textRuns(frags []fragment) []run {
	var runs []run
	for i, f := range frags {
		size := max(f.size, 1)
		if n := len(runs); n > 0 {
			cur := &runs[n-1]
			em := max(size, cur.size)
			if math.Abs(f.y-cur.y) <= 0.4*em && f.x0 >= cur.x1-em && f.x0-cur.x1 <= runGap*em {
				cur.x1 = max(cur.x1, f.x1)
				cur.size = max(cur.size, size)
				cur.j = i + 1
				continue
			}
		}
		runs = append(runs, run{x0: f.x0, x1: max(f.x0, f.x1), y: f.y, size: size, i: i, j: i + 1})
	}
	return runs
}

// orderColumns returns the fragments of one page in reading order when the
// page is set in columns, and frags unchanged otherwise.
func orderColumns(frags []fragment) []fragment {
	for _, f := range frags {
		if !finite(f.x0) || !finite(f.x1) || !finite(f.y) || !finite(f.size) {
			return frags
		}
	}
	runs := textRuns(frags)
	if len(runs) < 2*minColumnRows || len(runs) > maxColumnRuns {
		return frags
	}
	sizes := make([]float64, len(runs))
	ys := make([]float64, len(runs))
	for k, r := range runs {
		sizes[k] = r.size
		ys[k] = r.y
	}
	slices.Sort(sizes)
	em := sizes[len(sizes)/2]
	rows := countRows(ys, 0.4*em)
	maxSpan := int(float64(rows) * maxSpanShare)

	// Coverage of the x axis: how many runs cross each stretch.
	type event struct {
		x float64
		d int
	}
	events := make([]event, 0, 2*len(runs))
	for _, r := range runs {
		if r.x1 > r.x0 {
			events = append(events, event{r.x0, 1}, event{r.x1, -1})
		}
	}
	slices.SortFunc(events, func(a, b event) int {
		if a.x != b.x {
			if a.x < b.x {
				return -1
			}
			return 1
		}
		return b.d - a.d // starts before ends: touching runs leave no gap
	})
	// Stretches between distinct event positions with their coverage.
	type stretch struct {
		x0, x1 float64
		n      int
	}
	var stretches []stretch
	n := 0
	for k, e := range events {
		n += e.d
		if k+1 < len(events) && events[k+1].x > e.x {
			stretches = append(stretches, stretch{e.x, events[k+1].x, n})
		}
	}

	for level := 0; level <= min(maxSpan, maxSpanLevel); level++ {
		// Gutters: maximal stretches inside the text with at most level
		// crossing runs, at least minGutter wide.
		var mids []float64
		for k := 0; k < len(stretches); {
			if stretches[k].n > level {
				k++
				continue
			}
			start := stretches[k].x0
			for k < len(stretches) && stretches[k].n <= level {
				k++
			}
			end := stretches[k-1].x1
			// Not at the edges: a gutter has text on both sides.
			if start > stretches[0].x0 && k < len(stretches) && end-start >= minGutter*em {
				mids = append(mids, (start+end)/2)
			}
		}
		if len(mids) == 0 {
			continue
		}
		if out, ok := columnOrder(frags, runs, mids, em, maxSpan); ok {
			return out
		}
		if len(mids) > 1 {
			// A stray gap inside a column spoils the set; a page with
			// two columns still has its one gutter.
			for _, m := range mids {
				if out, ok := columnOrder(frags, runs, []float64{m}, em, maxSpan); ok {
					return out
				}
			}
		}
	}
	return frags
}

// columnOrder checks that the gutters at mids divide the page into text
// columns and returns the fragments in reading order.
func columnOrder(frags []fragment, runs []run, mids []float64, em float64, maxSpan int) ([]fragment, bool) {
	const spanning = -1
	col := make([]int, len(runs))
	var spanYs []float64
	for k, r := range runs {
		c := 0
		for _, m := range mids {
			if r.x0 < m && r.x1 > m {
				c = spanning
				break
			}
			if (r.x0+r.x1)/2 > m {
				c++
			}
		}
		col[k] = c
		if c == spanning {
			spanYs = append(spanYs, r.y)
		}
	}
	if countRows(spanYs, 0.4*em) > maxSpan {
		return nil, false
	}

	// Every column must look like running text.
	type extent struct{ x0, x1, top, bottom float64 }
	cols := make([]extent, len(mids)+1)
	for c := range cols {
		var ys []float64
		var rowWidths []float64
		e := extent{math.Inf(1), math.Inf(-1), math.Inf(-1), math.Inf(1)}
		// Runs of one row of the column: their extent is the line's width.
		rowsOf := map[float64][2]float64{}
		for k, r := range runs {
			if col[k] != c {
				continue
			}
			e.x0, e.x1 = min(e.x0, r.x0), max(e.x1, r.x1)
			e.top, e.bottom = max(e.top, r.y), min(e.bottom, r.y)
			key := math.Round(r.y / (0.4 * em))
			if w, ok := rowsOf[key]; ok {
				rowsOf[key] = [2]float64{min(w[0], r.x0), max(w[1], r.x1)}
			} else {
				rowsOf[key] = [2]float64{r.x0, r.x1}
				ys = append(ys, r.y)
			}
		}
		if countRows(ys, 0.4*em) < minColumnRows || e.x1-e.x0 < minColumnEms*em {
			return nil, false
		}
		for _, w := range rowsOf {
			rowWidths = append(rowWidths, w[1]-w[0])
		}
		slices.Sort(rowWidths)
		if rowWidths[len(rowWidths)/2] < minFill*(e.x1-e.x0) {
			return nil, false
		}
		cols[c] = e
	}
	for c := 1; c < len(cols); c++ {
		l, r := cols[c-1], cols[c]
		gap := r.x0 - l.x1
		if gap < minGutter*em || gap > min(l.x1-l.x0, r.x1-r.x0) {
			return nil, false
		}
		// Side by side: the columns share some of their height.
		if min(l.top, r.top) < max(l.bottom, r.bottom) {
			return nil, false
		}
	}

	// Bands between the rows that cross a gutter, top to bottom; in each
	// band the columns from left to right, each in drawing order.
	slices.Sort(spanYs)
	slices.Reverse(spanYs)
	var bandTops []float64 // the baseline of each spanning row
	for _, y := range spanYs {
		if len(bandTops) == 0 || bandTops[len(bandTops)-1]-y > 0.4*em {
			bandTops = append(bandTops, y)
		}
	}
	// slot orders the runs: column c of band b at b*(len(cols)+1)+c, the
	// spanning row that closes band b in the slot after its columns.
	slot := func(k int) int {
		r := runs[k]
		b := 0
		for b < len(bandTops) && bandTops[b] > r.y+0.4*em {
			b++
		}
		if col[k] == spanning {
			// The spanning row whose baseline is r's closes band b.
			return b*(len(cols)+1) + len(cols)
		}
		return b*(len(cols)+1) + col[k]
	}
	order := make([]int, len(runs))
	slots := make([]int, len(runs))
	for k := range runs {
		order[k] = k
		slots[k] = slot(k)
	}
	slices.SortStableFunc(order, func(a, b int) int { return slots[a] - slots[b] })
	out := make([]fragment, 0, len(frags))
	for _, k := range order {
		out = append(out, frags[runs[k].i:runs[k].j]...)
	}
	return out, true
}

// countRows counts the distinct baselines among ys, those closer than tol
// counting as one.
func countRows(ys []float64, tol float64) int {
	if len(ys) == 0 {
		return 0
	}
	s := slices.Clone(ys)
	slices.Sort(s)
	n := 1
	for k := 1; k < len(s); k++ {
		if s[k]-s[k-1] > tol {
			n++
		}
	}
	return n
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
