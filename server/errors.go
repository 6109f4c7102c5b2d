package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"stichwort/index"
)

// statusOf maps an error to its HTTP status and the message a user sees.
// Internal error texts are logged, never sent.
func (s *Server) statusOf(r *http.Request, err error) (int, string) {
	var pe *paramError
	switch {
	case errors.As(err, &pe):
		return http.StatusBadRequest, pe.msg
	case errors.Is(err, index.ErrTooDeep):
		return http.StatusBadRequest, "Parameter page: so weit reicht das Blättern nicht; bitte die Suche eingrenzen"
	case errors.Is(err, index.ErrNotFound):
		return http.StatusNotFound, "Dokument nicht gefunden"
	case errors.Is(err, r.Context().Err()) && r.Context().Err() != nil:
		return http.StatusServiceUnavailable, "Anfrage abgebrochen"
	}
	s.logger.Error("request failed", slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	return http.StatusInternalServerError, "Interner Fehler; bitte später erneut versuchen"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.statusOf(r, err)
	writeJSON(w, status, map[string]string{"error": msg})
}

func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusNotFound, map[string]string{"error": "Unbekannte Ressource"})
}

func (s *Server) apiMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "Methode nicht erlaubt"})
}

// recoverPanics turns a panic in a handler into a logged 500, so one bad
// request cannot take the server down.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger.Error("panic in handler", slog.String("path", r.URL.Path), slog.Any("panic", v))
				writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "Interner Fehler"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets a strict Content-Security-Policy and the usual
// hardening headers on every response: the page loads only its own CSS and
// script, and crawled text can never pull in anything.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}
