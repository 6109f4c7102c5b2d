package extract

import (
	"testing"
	"time"
)

func TestParseGermanDate(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	cet := time.FixedZone("", 2*3600)
	tests := []struct {
		name string
		in   string
		want time.Time
		ok   bool
	}{
		{"numeric", "22.10.2024", day(2024, time.October, 22), true},
		{"numeric short day and month", "5.3.2025", day(2025, time.March, 5), true},
		{"bracketed", "[22.10.2024]", day(2024, time.October, 22), true},
		{"bracketed with spaces", " [ 22.10.2024 ] ", day(2024, time.October, 22), true},
		{"numeric with time", "22.10.2024, 10:30 Uhr", time.Date(2024, time.October, 22, 10, 30, 0, 0, time.UTC), true},
		{"month name", "22. Oktober 2024", day(2024, time.October, 22), true},
		{"umlaut month", "5. März 2025", day(2025, time.March, 5), true},
		{"ae month", "5. Maerz 2025", day(2025, time.March, 5), true},
		{"abbreviated month", "5. Mrz. 2025", day(2025, time.March, 5), true},
		{"abbreviated Mär", "5. Mär 2025", day(2025, time.March, 5), true},
		{"lower case month", "1. dezember 2023", day(2023, time.December, 1), true},
		{"no dot after day", "1 Juni 2024", day(2024, time.June, 1), true},
		{"weekday", "Dienstag, 22. Oktober 2024", day(2024, time.October, 22), true},
		{"no-break space", "22.\u00a0Oktober\u00a02024", day(2024, time.October, 22), true},
		{"austrian january", "3. Jänner 2025", day(2025, time.January, 3), true},
		{"iso date", "2024-10-22", day(2024, time.October, 22), true},
		{"iso datetime", "2024-10-22T10:00:00+02:00", time.Date(2024, time.October, 22, 10, 0, 0, 0, cet), true},
		{"iso datetime utc", "2024-10-22T08:00:00Z", time.Date(2024, time.October, 22, 8, 0, 0, 0, time.UTC), true},
		{"iso without seconds", "2024-10-22T10:00+02:00", time.Date(2024, time.October, 22, 10, 0, 0, 0, cet), true},
		{"rfc 1123", "Tue, 22 Oct 2024 08:00:00 GMT", time.Date(2024, time.October, 22, 8, 0, 0, 0, time.UTC), true},
		{"rfc 1123 numeric zone", "Tue, 22 Oct 2024 10:00:00 +0200", time.Date(2024, time.October, 22, 10, 0, 0, 0, cet), true},
		{"empty", "", time.Time{}, false},
		{"words", "gestern", time.Time{}, false},
		{"impossible day", "31.02.2024", time.Time{}, false},
		{"month 13", "01.13.2024", time.Time{}, false},
		{"unknown month", "5. Brumaire 2025", time.Time{}, false},
		{"two digit year", "22.10.24", time.Time{}, false},
		{"implausible year", "01.01.0815", time.Time{}, false},
		{"text around", "Stand: 22.10.2024", time.Time{}, false},
		{"iso impossible", "2024-02-30", time.Time{}, false},
		{"bad hour", "22.10.2024 25:00", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseGermanDate(tt.in)
			if ok != tt.ok || !got.Equal(tt.want) {
				t.Errorf("ParseGermanDate(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
			if ok && got.Location() == time.Local && tt.want.Location() != time.Local {
				t.Errorf("ParseGermanDate(%q) returned local time", tt.in)
			}
		})
	}
}

func TestFindGermanDate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // YYYY-MM-DD or "" for none
	}{
		{"stand", "Stand: 22. Oktober 2024, Seite 2", "2024-10-22"},
		{"veröffentlicht", "Veröffentlicht am 2024-10-22 von der Redaktion", "2024-10-22"},
		{"numeric in text", "Sitzung vom 5.3.2025 (öffentlich)", "2025-03-05"},
		{"none", "Keine Angabe", ""},
		{"longer number", "Aktenzeichen 122.10.2024", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, ok := FindGermanDate(tt.in)
			var s string
			if ok {
				s = got.Format(time.DateOnly)
			}
			if s != tt.want {
				t.Errorf("FindGermanDate(%q) = %q, want %q", tt.in, s, tt.want)
			}
		})
	}
}

func FuzzParseGermanDate(f *testing.F) {
	for _, s := range []string{
		"22.10.2024", "[22.10.2024]", "22. Oktober 2024", "5. März 2025", "5. Maerz 2025",
		"5. Mrz. 2025", "2024-10-22", "2024-10-22T10:00:00+02:00", "Tue, 22 Oct 2024 08:00:00 GMT",
		"Dienstag, 22. Oktober 2024, 10:30 Uhr", "31.02.2024", "", "[", "99.99.9999",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseGermanDate(s)
		if !ok {
			if !got.IsZero() {
				t.Fatalf("ParseGermanDate(%q) = %v with ok=false", s, got)
			}
			return
		}
		if y := got.Year(); y < 1600 || y > 2200 {
			t.Fatalf("ParseGermanDate(%q) = %v: implausible year", s, got)
		}
		// The date, written back as ISO and German, reads the same.
		iso := got.Format(time.DateOnly)
		for _, again := range []string{iso, got.Format("02.01.2006")} {
			back, ok := ParseGermanDate(again)
			if !ok || back.Format(time.DateOnly) != iso {
				t.Fatalf("ParseGermanDate(%q) = %v; re-reading %q gave %v, %v", s, got, again, back, ok)
			}
		}
	})
}
