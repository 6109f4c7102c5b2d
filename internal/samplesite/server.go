package samplesite

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// baseModTime is the Last-Modified of every file the site starts with. It
// is fixed rather than the file's mtime, which differs in every checkout,
// and Put moves a replaced file's time forward from it, so that a crawler
// asking If-Modified-Since sees the change.
var baseModTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Site serves the generated sample site from dir (testdata/site) on two
// hosts: dir/www on WWWURL and dir/dokumente on DokumenteURL. Responses
// carry a strong ETag and a Last-Modified, and answer conditional requests
// with 304. A Site is safe for concurrent use.
type Site struct {
	mu      sync.RWMutex
	files   map[string]map[string]*entry // host → URL path → file
	clock   time.Time                    // latest Last-Modified handed out
	servers map[string]*http.Server
	urls    map[string]string // host → base URL, once started
}

// entry is one file: raw as on disk (with placeholder hosts), and the
// body served once the real base URLs are known.
type entry struct {
	raw     []byte
	body    []byte
	etag    string
	modTime time.Time
}

// NewSite reads the whole site into memory; it is small, and serving from
// memory lets Put change it without touching the checked-in files.
func NewSite(dir string) (*Site, error) {
	s := &Site{
		files:   make(map[string]map[string]*entry),
		clock:   baseModTime,
		servers: make(map[string]*http.Server),
		urls:    make(map[string]string),
	}
	for _, host := range []string{HostWWW, HostDokumente} {
		s.files[host] = make(map[string]*entry)
		root := filepath.Join(dir, host)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			s.files[host]["/"+filepath.ToSlash(rel)] = &entry{raw: data, modTime: baseModTime}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("samplesite: read site: %w", err)
		}
	}
	if len(s.files[HostWWW]) == 0 {
		return nil, fmt.Errorf("samplesite: no files in %s (run go run ./cmd/stichwort-sitegen)", filepath.Join(dir, HostWWW))
	}
	return s, nil
}

// Start listens on two free loopback ports and serves the hosts there
// until Close.
func (s *Site) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.servers) > 0 {
		return errors.New("samplesite: site already started")
	}
	listeners := make(map[string]net.Listener)
	for _, host := range []string{HostWWW, HostDokumente} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			for _, l := range listeners {
				l.Close()
			}
			return fmt.Errorf("samplesite: listen: %w", err)
		}
		listeners[host] = ln
		s.urls[host] = "http://" + ln.Addr().String()
	}
	for host, files := range s.files {
		for p, e := range files {
			s.prepare(p, e)
		}
		srv := &http.Server{
			Handler:           s.handler(host),
			ReadHeaderTimeout: 10 * time.Second,
		}
		s.servers[host] = srv
		go srv.Serve(listeners[host]) // returns ErrServerClosed on Close
	}
	return nil
}

// WWWURL returns the base URL of the magazine host, e.g.
// http://127.0.0.1:34567, or "" before Start.
func (s *Site) WWWURL() string { return s.url(HostWWW) }

// DokumenteURL returns the base URL of the documents host, or "" before
// Start.
func (s *Site) DokumenteURL() string { return s.url(HostDokumente) }

func (s *Site) url(host string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.urls[host]
}

// Put adds or replaces the file at path ("/artikel/neu.html") on host
// (HostWWW or HostDokumente), e.g. for a test that publishes an article
// between two crawls. Placeholder hosts in body are rewritten as in the
// generated files. The file's Last-Modified moves past every earlier one.
// Put panics on an unknown host: that is a bug in the calling test.
func (s *Site) Put(host, urlPath string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	files, ok := s.files[host]
	if !ok {
		panic(fmt.Sprintf("samplesite: Put on unknown host %q", host))
	}
	if !strings.HasPrefix(urlPath, "/") {
		urlPath = "/" + urlPath
	}
	s.clock = s.clock.Add(time.Second)
	e := &entry{raw: bytes.Clone(body), modTime: s.clock}
	if len(s.urls) > 0 {
		s.prepare(urlPath, e)
	}
	files[urlPath] = e
}

// Close stops both servers.
func (s *Site) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, srv := range s.servers {
		errs = append(errs, srv.Close())
	}
	return errors.Join(errs...)
}

// prepare computes the served body of the file at urlPath and its ETag;
// s.mu must be held and the URLs known.
func (s *Site) prepare(urlPath string, e *entry) {
	e.body = e.raw
	if rewritten(urlPath) {
		e.body = bytes.ReplaceAll(e.body, []byte(WWWBase), []byte(s.urls[HostWWW]))
		e.body = bytes.ReplaceAll(e.body, []byte(DokumenteBase), []byte(s.urls[HostDokumente]))
	}
	sum := sha256.Sum256(e.body)
	e.etag = `"` + hex.EncodeToString(sum[:16]) + `"`
}

// rewritten reports whether placeholders in the file are replaced: only
// in text formats; a PDF must not change, its xref table holds byte
// offsets.
func rewritten(urlPath string) bool {
	switch path.Ext(urlPath) {
	case ".html", ".xml", ".rss", ".txt":
		return true
	}
	return false
}

func (s *Site) handler(host string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := r.URL.Path
		if p == "/" {
			p = "/index.html"
		}
		s.mu.RLock()
		e, ok := s.files[host][p]
		s.mu.RUnlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", contentType(p))
		w.Header().Set("ETag", e.etag)
		http.ServeContent(w, r, p, e.modTime, bytes.NewReader(e.body))
	})
}

// contentType maps the site's file types; the list is short on purpose,
// the generator writes nothing else.
func contentType(p string) string {
	switch path.Ext(p) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".rss":
		return "application/rss+xml"
	case ".xml":
		return "application/xml"
	case ".pdf":
		return "application/pdf"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}
