package server

import "net/http"

// pageMethodNotAllowed answers a method a page does not take (PUT /) with
// the German error page and an Allow-less 405, like the API's JSON one.
func (s *Server) pageMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	if isAPIPath(r.URL.Path) {
		s.apiMethodNotAllowed(w, r)
		return
	}
	s.renderError(w, http.StatusMethodNotAllowed, "Diese Adresse nimmt solche Anfragen nicht an.")
}
