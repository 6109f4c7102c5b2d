package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"stichwort/crawler/state"
	"stichwort/index"
	"stichwort/index/alerts"
	"stichwort/server"
)

// opsPart is the operations' share of Main: backups.
type opsPart struct {
	out       string // backup --out
	backupDir string // serve --backup-dir: where POST /api/backup writes
	mu        sync.Mutex
}

// opsFlags declares the flags of check and backup, and serve's
// --backup-dir.
func (m *Main) opsFlags(fs *flag.FlagSet) {
	switch m.cmd {
	case "backup":
		fs.StringVar(&m.ops.out, "out", "", "folder to write the backup to (must not exist or be empty)")
	case "serve", "demo":
		fs.StringVar(&m.ops.backupDir, "backup-dir", "",
			"folder for online backups made with POST /api/backup (admin token); empty: no online backups")
	}
}

// checkOpsFlags checks the flags of backup.
func (m *Main) checkOpsFlags() error {
	if m.cmd == "backup" && m.ops.out == "" {
		return usagef("backup: --out DIR is required")
	}
	return nil
}

// withBackup lets the server write online backups into --backup-dir.
func (m *Main) withBackup(cfg server.Config) server.Config {
	if m.ops.backupDir != "" {
		cfg.Backup = func(ctx context.Context) (string, error) {
			out := filepath.Join(m.ops.backupDir, backupName(time.Now()))
			return out, m.backupTo(ctx, out)
		}
	}
	return cfg
}

// runBackup is the backup command: a copy of a data folder no server
// holds. For a running server, POST /api/backup makes the same copy.
func (m *Main) runBackup(ctx context.Context) error {
	var err error
	m.idx, err = index.Open(filepath.Join(m.dataDir, "index"), m.logger)
	if errors.Is(err, index.ErrLocked) {
		return fmt.Errorf("backup: %s wird von einem laufenden stichwort benutzt; für eine Sicherung im laufenden Betrieb "+
			"den Server mit --backup-dir starten und POST /api/backup mit dem Admin-Token aufrufen: %w", m.dataDir, err)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := m.backupTo(ctx, m.ops.out); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Sicherung geschrieben: %s (prüfen mit: stichwort check --data %s)\n", m.ops.out, m.ops.out)
	return nil
}

// backupTo writes a consistent copy of the data folder into out while the
// program keeps running. The order makes the copy as consistent as the
// running folder: the crawl state first, then the index, which holds
// every document of that state (the state is committed after the index;
// documents indexed in between are harmless extras), then the alerts,
// then the raw archive, which is written before anything is indexed and
// so holds every document of the copied index. Each store is copied in
// one read transaction (bbolt's Tx.CopyFile, Bleve's snapshot copy), so
// writers go on, except the index's, which waits while it is copied.
func (m *Main) backupTo(ctx context.Context, out string) error {
	if !m.ops.mu.TryLock() {
		return server.ErrBackupRunning
	}
	defer m.ops.mu.Unlock()
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return fmt.Errorf("backup: %s exists and is not empty", out)
	}
	if err := os.MkdirAll(out, 0o700); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	start := time.Now()
	statePath := filepath.Join(m.dataDir, "crawl.db")
	if c := m.live.Load(); c != nil {
		if err := c.BackupState(filepath.Join(out, "crawl.db")); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	} else if exists(statePath) {
		st, err := state.Open(statePath)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		err = st.Backup(filepath.Join(out, "crawl.db"))
		if cerr := st.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("backup: crawl state: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := m.idx.Backup(filepath.Join(out, "index")); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	alertsPath := filepath.Join(m.dataDir, "alerts.db")
	if st := m.alerts.store; st != nil {
		if err := st.Backup(filepath.Join(out, "alerts.db")); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	} else if exists(alertsPath) {
		st, err := alerts.Open(alertsPath, alerts.Options{Logger: m.logger})
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		err = st.Backup(filepath.Join(out, "alerts.db"))
		if cerr := st.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	n, err := copyFiles(m.archiveDir(), filepath.Join(out, "warc"))
	if err != nil {
		return fmt.Errorf("backup: raw archive: %w", err)
	}
	m.logger.Info("backup written", "out", out, "warc_files", n, "took", time.Since(start))
	return nil
}

// copyFiles copies the regular files of dir (not its subfolders) into
// to. A WARC file still being written is copied as far as it is written;
// the archive reader skips a torn last record.
func copyFiles(dir, to string) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(to, 0o700); err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err := copyFile(filepath.Join(dir, e.Name()), filepath.Join(to, e.Name())); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
