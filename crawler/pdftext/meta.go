package pdftext

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// cleanTitle returns the metadata title with white space collapsed, or ""
// when it says nothing about the document: office suites fill /Title with
// the file name ("Microsoft Word - Beschluss.docx", "Vorlage.pdf").
func cleanTitle(s string) string {
	s = normalizeLine(s)
	lower := strings.ToLower(s)
	switch {
	case s == "", lower == "untitled", lower == "unbenannt", lower == "ohne titel":
		return ""
	case strings.HasPrefix(lower, "microsoft word - "), strings.HasPrefix(lower, "microsoft powerpoint - "):
		return ""
	}
	for _, ext := range []string{".doc", ".docx", ".odt", ".pdf", ".rtf", ".ppt", ".pptx", ".xls", ".xlsx", ".indd", ".tmp"} {
		if strings.HasSuffix(lower, ext) {
			return ""
		}
	}
	return truncateRunes(s, maxTitleRunes)
}

// pdfDate matches a PDF date string, D:YYYYMMDDHHmmSSOHH'mm' with every
// part after the year optional (PDF 32000-1, 7.9.4). Some producers omit
// the "D:" or the apostrophes.
var pdfDate = regexp.MustCompile(`^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?`)

// parsePDFDate parses a PDF date string. A date without a time zone is
// taken as UTC.
func parsePDFDate(s string) (time.Time, bool) {
	m := pdfDate.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, false
	}
	part := func(i, def int) int {
		if m[i] == "" {
			return def
		}
		n, _ := strconv.Atoi(m[i])
		return n
	}
	year, month, day := part(1, 0), part(2, 1), part(3, 1)
	hour, minute, sec := part(4, 0), part(5, 0), part(6, 0)
	loc := time.UTC
	if m[8] != "" {
		off := part(9, 0)*3600 + part(10, 0)*60
		if m[8] == "-" {
			off = -off
		}
		loc = time.FixedZone("", off)
	}
	if !validDate(year, month, day) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, loc), true
}

// validDate rejects dates time.Date would silently normalise (31.02.)
// and years no document of ours can have.
func validDate(year, month, day int) bool {
	if year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 {
		return false
	}
	return day <= time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

var germanMonths = map[string]time.Month{
	"januar": time.January, "jänner": time.January, "februar": time.February,
	"märz": time.March, "maerz": time.March, "april": time.April, "mai": time.May,
	"juni": time.June, "juli": time.July, "august": time.August,
	"september": time.September, "oktober": time.October,
	"november": time.November, "dezember": time.December,
}

// germanDate matches "18.10.2024", "8.1.2025" and "18. Oktober 2024".
var germanDate = regexp.MustCompile(`(?i)(?:^|[^\p{L}\d.])(\d{1,2})\.(?:(\d{1,2})\.|\s*(Januar|Jänner|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s+)(\d{4})(?:$|[^\p{L}\d])`)

// findGermanDate returns the first valid German date in text, at midnight
// UTC.
func findGermanDate(text string) (time.Time, bool) {
	for _, m := range germanDate.FindAllStringSubmatch(text, 100) {
		day, _ := strconv.Atoi(m[1])
		year, _ := strconv.Atoi(m[4])
		var month int
		if m[2] != "" {
			month, _ = strconv.Atoi(m[2])
		} else {
			month = int(germanMonths[strings.ToLower(m[3])])
		}
		if validDate(year, month, day) {
			return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}
