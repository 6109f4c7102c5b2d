package server

import (
	"io/fs"
	"net/http"
)

// serveStatic serves the embedded static files (the request path has lost
// its /static/ prefix). Only existing files are served: no directory
// listings, and a path that is no valid io/fs name (invalid UTF-8, "..",
// a backslash trick) gets the German 404 page instead of the file server's
// 500. The files come from the binary, never from the disk, so no URL can
// reach the file system.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Path
	if !fs.ValidPath(name) {
		s.pageNotFound(w, r)
		return
	}
	if st, err := fs.Stat(staticFS, "static/"+name); err != nil || st.IsDir() {
		s.pageNotFound(w, r)
		return
	}
	s.static.ServeHTTP(w, r)
}
