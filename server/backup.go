package server

import (
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// ErrBackupRunning is returned by a Config.Backup function while another
// backup is being written.
var ErrBackupRunning = errors.New("server: a backup is running")

// backupTimeout bounds the time an online backup may keep its response
// open; the server's WriteTimeout is shorter than copying a large index.
const backupTimeout = time.Hour

// handleBackup writes an online backup of the data folder (POST
// /api/backup, for the operator only) and answers when it is complete
// with the folder it went to. The folder is the server's --backup-dir
// setting: nothing in the request names a path.
func (s *Server) handleBackup(w http.ResponseWriter, r *http.Request) {
	if !s.requireAdmin(w, r) {
		return
	}
	if s.cfg.Backup == nil {
		writeJSON(w, http.StatusConflict, map[string]string{"error": "Dieser Server hat keinen Sicherungsordner (--backup-dir)"})
		return
	}
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(backupTimeout))
	start := time.Now()
	path, err := s.cfg.Backup(r.Context())
	switch {
	case errors.Is(err, ErrBackupRunning):
		writeJSON(w, http.StatusConflict, map[string]string{"error": "Eine Sicherung läuft bereits"})
	case err != nil:
		s.logger.Error("backup failed", slog.String("error", err.Error()))
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "Die Sicherung ist fehlgeschlagen; Einzelheiten im Protokoll des Servers"})
	default:
		s.logger.Info("backup written", slog.String("path", path), slog.Duration("took", time.Since(start)))
		writeJSON(w, http.StatusCreated, map[string]any{"path": path, "took_ms": time.Since(start).Milliseconds()})
	}
}
