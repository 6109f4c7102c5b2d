package server

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"stichwort/index"
)

// chart is a bar chart of hits over time, drawn by the template as inline
// SVG: people see at a glance when a topic was news, and each bar is a
// link that narrows the search to its year or month. The geometry is
// computed here; the template only places numbers and escaped labels.
type chart struct {
	ID            string // for aria-labelledby
	Title         string
	Width, Height int
	Base          float64 // y of the axis
	Bars          []bar
}

type bar struct {
	Label    string // under the bar: "2024", "Okt"
	Long     string // for screen readers and the tooltip: "Oktober 2024"
	Count    int
	URL      string // empty: nothing to narrow to
	Selected bool
	X, Y     float64
	W, H     float64
	Mid      float64 // x of the bar's centre
	ShowText bool    // room for the label under the bar
}

const (
	chartWidth   = 280
	chartHeight  = 120
	chartTop     = 16 // room for the counts above the bars
	chartBase    = 100
	maxChartBars = 30 // beyond this span of years, only years with hits
)

var monthShort = [...]string{"Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"}

// layout computes the bars' geometry.
func (c *chart) layout() {
	c.Width, c.Height, c.Base = chartWidth, chartHeight, chartBase
	n := len(c.Bars)
	if n == 0 {
		return
	}
	most := 1
	for _, b := range c.Bars {
		most = max(most, b.Count)
	}
	slot := float64(chartWidth) / float64(n)
	w := min(slot*0.72, 36)
	every := max(1, (n+11)/12) // at most about 12 labels
	for i := range c.Bars {
		b := &c.Bars[i]
		b.W = w
		b.X = float64(i)*slot + (slot-w)/2
		b.Mid = b.X + w/2
		b.H = float64(b.Count) / float64(most) * (chartBase - chartTop)
		if b.Count > 0 {
			b.H = max(b.H, 2)
		}
		b.Y = chartBase - b.H
		b.ShowText = (n-1-i)%every == 0 // always label the newest bar
	}
}

// yearChart draws the year facet, oldest year left. A bar selects just
// its year; the selected one selects none again.
func yearChart(req index.Request, years []index.FacetValue) *chart {
	counts := map[int]int{}
	var ys []int
	for _, v := range years {
		y, err := strconv.Atoi(v.Value)
		if err != nil {
			continue
		}
		counts[y] = v.Count
		ys = append(ys, y)
	}
	if len(ys) < 2 {
		return nil
	}
	slices.Sort(ys)
	if first, span := ys[0], ys[len(ys)-1]-ys[0]+1; span <= maxChartBars {
		// A year without hits is part of the story: show it empty.
		ys = ys[:0]
		for i := range span {
			ys = append(ys, first+i)
		}
	} else {
		ys = ys[len(ys)-maxChartBars:]
	}
	c := &chart{ID: "zeitleiste-jahre", Title: "Treffer je Jahr"}
	for _, y := range ys {
		sel := len(req.Years) == 1 && req.Years[0] == y && req.From.IsZero() && req.To.IsZero()
		b := bar{Label: strconv.Itoa(y), Long: strconv.Itoa(y), Count: counts[y], Selected: sel}
		if b.Count > 0 {
			b.URL = with(req, func(c *index.Request) {
				c.From, c.To = time.Time{}, time.Time{}
				if sel {
					c.Years = nil
				} else {
					c.Years = []int{y}
				}
			})
		}
		c.Bars = append(c.Bars, b)
	}
	c.layout()
	return c
}

// monthChart draws the months of year y. A bar narrows the date range to
// its month; the selected one widens it to the year again.
func monthChart(req index.Request, y int, months []index.FacetValue) *chart {
	var counts [12]int
	total := 0
	for _, v := range months {
		t, err := time.Parse("2006-01", v.Value)
		if err != nil || t.Year() != y {
			continue
		}
		counts[t.Month()-1] = v.Count
		total += v.Count
	}
	if total == 0 {
		return nil
	}
	c := &chart{ID: "zeitleiste-monate", Title: "Treffer je Monat " + strconv.Itoa(y)}
	for m := range 12 {
		first := time.Date(y, time.Month(m+1), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, 1, -1)
		sel := !req.From.IsZero() && !req.To.IsZero() && !first.Before(req.From) && !last.After(req.To)
		b := bar{Label: monthShort[m], Long: monthNames[m] + " " + strconv.Itoa(y), Count: counts[m], Selected: sel}
		if b.Count > 0 {
			b.URL = with(req, func(c *index.Request) {
				if len(c.Years) != 1 {
					c.Years = []int{y}
				}
				if sel {
					c.From, c.To = time.Time{}, time.Time{}
				} else {
					c.From, c.To = first, last
				}
			})
		}
		c.Bars = append(c.Bars, b)
	}
	c.layout()
	return c
}

// selectedYear is the one year a request is limited to, if any: the
// index counts months then.
func selectedYear(req index.Request) (int, bool) {
	switch {
	case len(req.Years) == 1:
		return req.Years[0], true
	case len(req.Years) == 0 && !req.From.IsZero() && !req.To.IsZero() && req.From.Year() == req.To.Year():
		return req.From.Year(), true
	}
	return 0, false
}

// fillCharts draws the year chart and, inside one year, the month chart.
// Months are counted like a disjunctive facet: with a month chosen, the
// other months still show their hits, so the chart does not collapse to
// one bar.
func (s *Server) fillCharts(ctx context.Context, p *searchPage) {
	p.Years = yearChart(p.Req, p.Res.Facets.Year)
	y, ok := selectedYear(p.Req)
	if !ok {
		return
	}
	months := p.Res.Facets.Month
	if !p.Req.From.IsZero() || !p.Req.To.IsZero() {
		whole := p.Req
		whole.From, whole.To, whole.Years = time.Time{}, time.Time{}, []int{y}
		whole.Page, whole.Size = 1, 1
		res, err := s.idx.Search(ctx, whole)
		if err != nil {
			s.logger.Warn("month chart", slog.String("error", err.Error()))
		} else {
			months = res.Facets.Month
		}
	}
	p.Months = monthChart(p.Req, y, months)
}
