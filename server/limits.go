package server

import "net/http"

// Caps on the size of any request, before a handler sees it. The handlers
// check their own parameters more narrowly (params.go, alerts.go); these
// caps make sure that no handler, present or future, reads an unbounded
// query or body. The header block as a whole is capped by the
// http.Server's MaxHeaderBytes.
const (
	// maxRawQuery is the longest query string accepted, percent-encoded:
	// room for the longest valid search (500 characters of query, ten
	// Stichwörter, filters) even when every character is an encoded umlaut.
	maxRawQuery = 16 << 10
	// maxBody is the largest request body any handler can read; the alert
	// endpoints allow less (maxAlertBody).
	maxBody = 64 << 10
)

// capRequests refuses a query string longer than maxRawQuery with 414 and
// caps every request body at maxBody.
func (s *Server) capRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.RawQuery) > maxRawQuery {
			const msg = "Die Anfrage ist zu lang; bitte die Suche kürzen"
			if isAPIPath(r.URL.Path) {
				writeJSON(w, http.StatusRequestURITooLong, map[string]string{"error": msg})
			} else {
				s.renderError(w, http.StatusRequestURITooLong, msg+".")
			}
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		}
		next.ServeHTTP(w, r)
	})
}
