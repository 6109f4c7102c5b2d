package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"stichwort/crawler/state"
)

var crashKills = flag.Int("crash-kills", 3, "SIGKILLs of TestCrashResume (make stress raises it)")

// childEnv marks the test binary re-executed as the stichwort program.
const childEnv = "STICHWORT_TEST_CHILD"

// TestChildProcess is not a test: it is the stichwort program when the test
// binary is started by startChild (the os/exec helper-process pattern), so
// the crash test kills the real program without building it first.
func TestChildProcess(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		t.Skip("runs only as the child of TestCrashResume")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(NewMain().Main(ctx, flag.Args()))
}

func startChild(tb testing.TB, stderr *bytes.Buffer, args ...string) *exec.Cmd {
	tb.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestChildProcess$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	return cmd
}

// TestCrashResume kills a crawl with SIGKILL at random points, restarts it
// until it finishes, and compares the index with an uninterrupted crawl of
// the same site: the same documents with the same fields, none twice, an
// index that opens without error. After each kill it checks that the next
// run fetches nothing the killed one had recorded as done, and at the end
// that the raw archive, torn by the kills, rebuilds the same index.
func TestCrashResume(t *testing.T) {
	site := newCrashSite(t, 180)
	ref := t.TempDir()
	if code, _, errOut := run(t, "", "crawl", "--data", ref, "--seed", site.url("/"), "--delay", "0", "--log-level", "error"); code != 0 {
		t.Fatalf("reference crawl: exit %d: %s", code, errOut)
	}
	want := indexDocs(t, ref)
	if len(want) != 180+18 {
		t.Fatalf("reference crawl indexed %d documents, want 198", len(want))
	}
	site.reset()

	data := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	args := []string{"crawl", "--data", data, "--seed", site.url("/"), "--delay", "0", "--log-level", "warn"}
	kills := 0
	var done map[string]bool // what the killed run had committed as handled
	for attempt := 0; attempt < *crashKills*3 && kills < *crashKills; attempt++ {
		var stderr bytes.Buffer
		// Up to a little over two batches of 20 documents: early kills
		// land before the first commit, later ones after several; once
		// the crawl has finished, the kills hit incremental runs.
		after := 3 + rng.IntN(60)
		jitter := time.Duration(rng.IntN(5000)) * time.Microsecond
		cmd := startChild(t, &stderr, args...)
		site.killAfter(after, jitter, cmd)
		err := cmd.Wait()
		refetched := site.refetched(done)
		if len(refetched) > 0 {
			t.Errorf("run %d fetched again what the killed run had done: %q", attempt+1, refetched)
		}
		var exit *exec.ExitError
		switch {
		case errors.As(err, &exit) && exit.ProcessState.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL:
			kills++
			done = handledURLs(t, data)
			t.Logf("run %d killed after %d requests (+%v), %d URLs done", attempt+1, site.count(), jitter, len(done))
		case err != nil:
			t.Fatalf("run %d: %v\n%s", attempt+1, err, stderr.String())
		default:
			t.Logf("run %d finished before its kill point %d", attempt+1, after)
			done = nil
		}
		site.reset()
	}
	if kills == 0 {
		t.Fatal("no run was killed")
	}

	var stderr bytes.Buffer
	cmd := startChild(t, &stderr, args...)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("final run: %v\n%s", err, stderr.String())
	}
	if r := site.refetched(done); len(r) > 0 {
		t.Errorf("final run fetched again what the killed run had done: %q", r)
	}
	if n := len(handledURLs(t, data)); n != 0 {
		t.Errorf("the finished crawl left %d URLs of its frontier in the state", n)
	}
	t.Logf("%d kills survived", kills)
	sameDocs(t, indexDocs(t, data), want)

	// The archive has a torn file per kill; it still rebuilds the index.
	if err := os.RemoveAll(filepath.Join(data, "index")); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "", "reindex", "--data", data, "--log-level", "error"); code != 0 {
		t.Fatalf("reindex: exit %d: %s", code, errOut)
	}
	sameDocs(t, indexDocs(t, data), want)
}

// handledURLs reads the crawl state a killed run left: the URLs its
// unfinished run has seen and no longer queues.
func handledURLs(tb testing.TB, data string) map[string]bool {
	tb.Helper()
	st, err := state.Open(filepath.Join(data, "crawl.db"))
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	done := map[string]bool{}
	if err := st.EachSeen(func(u string) { done[u] = true }); err != nil {
		tb.Fatal(err)
	}
	queued, err := st.Queued()
	if err != nil {
		tb.Fatal(err)
	}
	for _, j := range queued {
		delete(done, j.URL)
	}
	return done
}

// crashSite is a synthetic news site: listing pages of ten teasers each
// (rel=next to the following one), articles in the sample layout, every
// tenth with a PDF. It can SIGKILL a child after a number of requests.
type crashSite struct {
	srv      *httptest.Server
	articles int
	pdfs     map[string][]byte

	mu    sync.Mutex
	paths []string
	after int
	kill  func()
}

func newCrashSite(tb testing.TB, articles int) *crashSite {
	tb.Helper()
	s := &crashSite{articles: articles, pdfs: map[string][]byte{}}
	for k := 10; k <= articles; k += 10 {
		s.pdfs[fmt.Sprintf("/dokumente/beschluss-%d.pdf", k)] = crashPDF(tb, k)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.srv.Close)
	return s
}

func (s *crashSite) url(p string) string { return s.srv.URL + p }

// killAfter arms a SIGKILL of cmd when the site has seen n more requests,
// jitter later.
func (s *crashSite) killAfter(n int, jitter time.Duration, cmd *exec.Cmd) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.after = n
	s.kill = func() { time.AfterFunc(jitter, func() { cmd.Process.Kill() }) }
}

// reset forgets the requests seen and disarms the kill.
func (s *crashSite) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paths, s.kill = nil, nil
}

func (s *crashSite) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.paths)
}

// refetched returns the URLs requested since the last reset that are in
// done, robots.txt aside (each run reads it anew).
func (s *crashSite) refetched(done map[string]bool) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, p := range s.paths {
		if p != "/robots.txt" && done[s.url(p)] {
			out = append(out, p)
		}
	}
	return out
}

var crashTags = []string{"Smart City", "Onlinezugangsgesetz", "Breitband", "Datenschutz", "E-Akte", "Open Data"}

func (s *crashSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.paths = append(s.paths, r.URL.Path)
	if s.kill != nil && len(s.paths) >= s.after {
		s.kill()
		s.kill = nil
	}
	s.mu.Unlock()

	modTime := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	p := r.URL.Path
	var page string
	switch {
	case p == "/robots.txt":
		w.Header().Set("Content-Type", "text/plain")
		http.ServeContent(w, r, "", modTime, strings.NewReader("User-agent: *\nDisallow: /intern/\n"))
		return
	case s.pdfs[p] != nil:
		w.Header().Set("Content-Type", "application/pdf")
		http.ServeContent(w, r, "", modTime, bytes.NewReader(s.pdfs[p]))
		return
	case p == "/":
		page = `<h1>Nachrichten</h1><p><a href="/liste/1">Alle Meldungen</a></p>`
	case strings.HasPrefix(p, "/liste/"):
		n, err := strconv.Atoi(strings.TrimPrefix(p, "/liste/"))
		if err != nil || n < 1 || (n-1)*10 >= s.articles {
			http.NotFound(w, r)
			return
		}
		var b strings.Builder
		fmt.Fprintf(&b, "<h1>Meldungen, Seite %d</h1><ul>", n)
		for k := (n-1)*10 + 1; k <= min(n*10, s.articles); k++ {
			fmt.Fprintf(&b, `<li class="teaser"><a href="/artikel/%d.html">Meldung %d</a></li>`, k, k)
		}
		b.WriteString("</ul>")
		if n*10 < s.articles {
			fmt.Fprintf(&b, `<p><a rel="next" href="/liste/%d">Weiter</a></p>`, n+1)
		}
		page = b.String()
	case strings.HasPrefix(p, "/artikel/") && strings.HasSuffix(p, ".html"):
		k, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p, "/artikel/"), ".html"))
		if err != nil || k < 1 || k > s.articles {
			http.NotFound(w, r)
			return
		}
		page = crashArticle(k, s.articles)
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	html := `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Meldungen</title></head><body><main>` +
		page + `</main></body></html>`
	http.ServeContent(w, r, "", modTime, strings.NewReader(html))
}

// crashArticle is article k of n; it links another article and, every
// tenth, a PDF.
func crashArticle(k, n int) string {
	date := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, k)
	tags := []string{crashTags[k%len(crashTags)], crashTags[(k/len(crashTags))%len(crashTags)]}
	var tl []string
	for _, t := range tags {
		tl = append(tl, `<a href="/stichwort/`+strings.ReplaceAll(strings.ToLower(t), " ", "-")+`.html">`+t+`</a>`)
	}
	pdf := ""
	if k%10 == 0 {
		pdf = fmt.Sprintf(`<p>Der Beschluss: <a href="/dokumente/beschluss-%d.pdf">Beschluss %d (PDF, 12 KB)</a></p>`, k, k)
	}
	return fmt.Sprintf(`<article class="artikel"><h1>Kommune %d digitalisiert Antrag Nummer %d</h1>
<p class="lead">[%s] Die Gemeinde %d stellt einen weiteren Antrag online.</p>
<div class="artikel-text">
<p>Seit dieser Woche können die Bürgerinnen und Bürger der Gemeinde %d den Antrag Nummer %d vollständig digital stellen; der Weg ins Amt entfällt.</p>
<p>Die Verwaltung rechnet mit %d Anträgen im Jahr und spart nach eigenen Angaben viel Papier, Porto und Wartezeit. (red)</p>
%s
<p><a href="/artikel/%d.html">Mehr aus der Gemeinde</a></p>
</div>
<p class="stichwoerter">Stichwörter: %s</p>
</article>`, k, k, date.Format("02.01.2006"), k, k, k, 100*k, pdf, (k*7)%n+1, strings.Join(tl, ", "))
}

func crashPDF(tb testing.TB, k int) []byte {
	tb.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(fmt.Sprintf("Beschluss %d", k), true)
	created := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetFont("Helvetica", "", 12)
	pdf.AddPage()
	pdf.MultiCell(0, 6, tr(fmt.Sprintf("Beschluss Nummer %d\n\nDer Gemeinderat beschließt, den Antrag %d künftig digital anzubieten.", k, k)), "", "L", false)
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}
