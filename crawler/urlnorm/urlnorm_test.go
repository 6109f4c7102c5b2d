package urlnorm

import (
	"errors"
	"net/url"
	"testing"
)

func TestResolve(t *testing.T) {
	base, _ := url.Parse("http://www.stichwort.test/artikel/x.html")
	tests := []struct {
		name    string
		ref     string
		want    string
		wantErr error
	}{
		{"absolute", "http://www.stichwort.test/a.html", "http://www.stichwort.test/a.html", nil},
		{"upper case scheme and host", "HTTP://WWW.Stichwort.TEST/A.html", "http://www.stichwort.test/A.html", nil},
		{"default http port", "http://www.stichwort.test:80/a", "http://www.stichwort.test/a", nil},
		{"default https port", "https://www.stichwort.test:443/a", "https://www.stichwort.test/a", nil},
		{"other port kept", "http://127.0.0.1:8080/a", "http://127.0.0.1:8080/a", nil},
		{"fragment dropped", "/a.html#kommentare", "http://www.stichwort.test/a.html", nil},
		{"root relative", "/stichwort/kita.html", "http://www.stichwort.test/stichwort/kita.html", nil},
		{"relative", "y.html", "http://www.stichwort.test/artikel/y.html", nil},
		{"dot segments", "../archiv/./seite-2.html", "http://www.stichwort.test/archiv/seite-2.html", nil},
		{"empty path", "http://www.stichwort.test", "http://www.stichwort.test/", nil},
		{"tracking params dropped", "/a?utm_source=nl&utm_medium=mail&id=3&fbclid=x&gclid=y", "http://www.stichwort.test/a?id=3", nil},
		{"params sorted", "/a?seite=2&kategorie=politik", "http://www.stichwort.test/a?kategorie=politik&seite=2", nil},
		{"repeated keys keep order", "/a?t=b&t=a", "http://www.stichwort.test/a?t=b&t=a", nil},
		{"only tracking", "/a?utm_campaign=x", "http://www.stichwort.test/a", nil},
		{"key without value", "/a?druck", "http://www.stichwort.test/a?druck", nil},
		{"umlaut path", "/stichwort/künstliche-intelligenz.html", "http://www.stichwort.test/stichwort/k%C3%BCnstliche-intelligenz.html", nil},
		{"query encoding", "/suche?q=Smart+City", "http://www.stichwort.test/suche?q=Smart+City", nil},
		{"user info dropped", "http://user:pw@www.stichwort.test/a", "http://www.stichwort.test/a", nil},
		{"trailing dot host", "http://www.stichwort.test./a", "http://www.stichwort.test/a", nil},
		{"ipv6", "http://[::1]:8080/a", "http://[::1]:8080/a", nil},
		{"mailto", "mailto:redaktion@stichwort.test", "", ErrScheme},
		{"javascript", "javascript:void(0)", "", ErrScheme},
		{"no host", "http:///a", "", ErrNoHost},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(base, tt.ref)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Resolve(%q) error = %v, want %v", tt.ref, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve(%q): %v", tt.ref, err)
			}
			if got.String() != tt.want {
				t.Errorf("Resolve(%q) = %q, want %q", tt.ref, got, tt.want)
			}
		})
	}
}

func TestSource(t *testing.T) {
	u, _ := Parse("http://WWW.Stichwort.test:8080/a")
	if got := Source(u); got != "www.stichwort.test" {
		t.Errorf("Source = %q", got)
	}
	if got := HostKey(u); got != "www.stichwort.test:8080" {
		t.Errorf("HostKey = %q", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"http://www.stichwort.test/a?utm_source=x&b=2&a=1#f", "HTTPS://EXAMPLE.org:443", "/relative",
		"http://[::1]:80/", "http://a/%zz", "http://a/?%zz=1", "http://a/?a=%20&&b", "http://a:99999/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := Parse(raw)
		if err != nil {
			return
		}
		if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Fragment != "" {
			t.Fatalf("Parse(%q) = %q: not normalised", raw, u)
		}
		// Normalising is idempotent.
		again, err := Parse(u.String())
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not parse again: %v", raw, u, err)
		}
		if again.String() != u.String() {
			t.Fatalf("not idempotent: %q → %q → %q", raw, u, again)
		}
	})
}
