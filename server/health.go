package server

import "net/http"

// handleHealth answers whether the process serves HTTP at all (liveness).
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReady answers whether searches can be served: the index answers a
// query. Load balancers send traffic only to ready instances.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Ready != nil {
		if err := s.cfg.Ready(r.Context()); err != nil {
			s.logger.Warn("not ready", "error", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "nicht bereit"})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "docs": s.idx.Count()})
}
