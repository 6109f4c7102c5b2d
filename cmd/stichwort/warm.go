package main

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"stichwort/server"
)

// warmPart tells whether the warm-up is done.
type warmPart struct{ done atomic.Bool }

// withOps adds the operations' settings to the server's configuration:
// rate limits (limits.go), online backups (backup.go) and readiness,
// which waits for the warm-up.
func (m *Main) withOps(cfg server.Config) server.Config {
	cfg = m.withBackup(m.withLimits(cfg))
	cfg.Ready = func(context.Context) error {
		if !m.warm.done.Load() {
			return errors.New("warming up")
		}
		return nil
	}
	return cfg
}

// warmUp builds, in the background, what the first requests would
// otherwise build while they wait: the autocomplete vocabulary, read from
// every stored document. On a large index under load that build competes
// with all searches for the CPU and took longer than a client waits
// (make stress, 100,000 documents); done at start it takes seconds.
// /readyz answers 503 until it is done.
//
// The warm-up ends with ctx (the server stopping): at 1,000,000 documents
// it takes about a minute, and a SIGTERM must not wait for it.
func (m *Main) warmUp(ctx context.Context) {
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer m.warm.done.Store(true)
		start := time.Now()
		if err := m.idx.WarmSuggest(ctx); err != nil {
			if ctx.Err() == nil {
				m.logger.Warn("warm-up failed", slog.String("error", err.Error()))
			}
			return
		}
		m.logger.Debug("warmed up", slog.Duration("took", time.Since(start)))
	}()
}
