package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// germanMonths maps the lower-case spellings of month names and their
// abbreviations (with the dot removed) to months. "maerz" and "marz" cover
// text written without umlauts, "jänner" the Austrian January.
var germanMonths = map[string]time.Month{
	"januar": time.January, "jänner": time.January, "jaenner": time.January, "jan": time.January,
	"februar": time.February, "feber": time.February, "feb": time.February, "febr": time.February,
	"märz": time.March, "maerz": time.March, "marz": time.March, "mär": time.March, "mrz": time.March, "mar": time.March,
	"april": time.April, "apr": time.April,
	"mai":  time.May,
	"juni": time.June, "jun": time.June,
	"juli": time.July, "jul": time.July,
	"august": time.August, "aug": time.August,
	"september": time.September, "sep": time.September, "sept": time.September,
	"oktober": time.October, "okt": time.October,
	"november": time.November, "nov": time.November,
	"dezember": time.December, "dez": time.December,
}

var (
	// 22.10.2024, 5.3.2025, optionally followed by a time: "22.10.2024, 10:30 Uhr".
	reNumericDate = regexp.MustCompile(`^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:,?\s+(\d{1,2})[:.](\d{2})(?:\s*Uhr)?)?$`)
	// 22. Oktober 2024, 5. Mrz. 2025, 5 März 2025.
	reNamedDate = regexp.MustCompile(`^(\d{1,2})\.?\s*([\p{L}]+)\.?\s+(\d{4})(?:,?\s+(\d{1,2})[:.](\d{2})(?:\s*Uhr)?)?$`)
	// A leading weekday: "Dienstag, 22. Oktober 2024".
	reWeekday = regexp.MustCompile(`(?i)^(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|mo|di|mi|do|fr|sa|so)\.?,?\s+`)
	// A date somewhere in running text, for FindGermanDate.
	reDateInText = regexp.MustCompile(`\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{1,2}\.\s*[\p{L}]{3,9}\.?\s+\d{4}`)
)

// isoLayouts are tried in order for ISO 8601 and the HTTP date formats.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	time.RFC1123,
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	time.RFC850,
	time.ANSIC,
}

// ParseGermanDate reads a date in the forms German news pages use:
// "22.10.2024", "[22.10.2024]", "22. Oktober 2024", "5. März 2025",
// "5. Maerz 2025", "5. Mrz. 2025", optionally with a leading weekday and a
// trailing time ("10:30 Uhr"), and ISO 8601 ("2024-10-22",
// "2024-10-22T10:00:00+02:00") and RFC 1123. The whole string must be the
// date; surrounding brackets and white space are ignored.
//
// Dates without a zone are returned in UTC (a calendar date at midnight);
// dates with an offset keep it. ok is false when s is no valid date; the
// caller then has no date, never an invented one.
func ParseGermanDate(s string) (t time.Time, ok bool) {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
	s = strings.Trim(s, "[]() ,;")
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	if t, ok := parseISO(s); ok {
		return t, true
	}
	s = reWeekday.ReplaceAllString(s, "")
	if m := reNumericDate.FindStringSubmatch(s); m != nil {
		mon, err := strconv.Atoi(m[2])
		if err != nil || mon < 1 || mon > 12 {
			return time.Time{}, false
		}
		return makeDate(m[3], time.Month(mon), m[1], m[4], m[5])
	}
	if m := reNamedDate.FindStringSubmatch(s); m != nil {
		mon, ok := germanMonths[strings.ToLower(m[2])]
		if !ok {
			return time.Time{}, false
		}
		return makeDate(m[3], mon, m[1], m[4], m[5])
	}
	return time.Time{}, false
}

// FindGermanDate returns the first date in running text, such as "Stand:
// 22. Oktober 2024" or "Veröffentlicht am 2024-10-22", and where it ends.
func FindGermanDate(s string) (t time.Time, end int, ok bool) {
	for _, loc := range reDateInText.FindAllStringIndex(s, 4) {
		if loc[0] > 0 {
			// Not the tail of a longer number ("122.10.2024").
			r := rune(s[loc[0]-1])
			if unicode.IsDigit(r) || r == '.' {
				continue
			}
		}
		if t, ok := ParseGermanDate(s[loc[0]:loc[1]]); ok {
			return t, loc[1], true
		}
	}
	return time.Time{}, 0, false
}

func parseISO(s string) (time.Time, bool) {
	if len(s) < 8 {
		return time.Time{}, false
	}
	for _, layout := range isoLayouts {
		t, err := time.Parse(layout, s)
		if err == nil && plausibleYear(t.Year()) {
			return t, true
		}
	}
	return time.Time{}, false
}

// makeDate builds a calendar date and rejects impossible ones (31.02.).
func makeDate(year string, month time.Month, day, hour, minute string) (time.Time, bool) {
	y, err1 := strconv.Atoi(year)
	d, err2 := strconv.Atoi(day)
	if err1 != nil || err2 != nil || !plausibleYear(y) || d < 1 || d > 31 {
		return time.Time{}, false
	}
	h, mi := 0, 0
	if hour != "" {
		var err3, err4 error
		h, err3 = strconv.Atoi(hour)
		mi, err4 = strconv.Atoi(minute)
		if err3 != nil || err4 != nil || h > 23 || mi > 59 {
			return time.Time{}, false
		}
	}
	t := time.Date(y, month, d, h, mi, 0, 0, time.UTC)
	if t.Day() != d || t.Month() != month {
		return time.Time{}, false
	}
	return t, true
}

// plausibleYear keeps out four-digit numbers that are no publication year
// ("Paragraph 0815"): news is dated between the first printed newspapers
// and a couple of centuries ahead.
func plausibleYear(y int) bool { return y >= 1600 && y <= 2200 }
