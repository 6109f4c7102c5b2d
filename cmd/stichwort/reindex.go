package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"stichwort"
	"stichwort/crawler"
)

// archiveDir is the raw archive (WARC) in the data folder.
func (m *Main) archiveDir() string { return filepath.Join(m.dataDir, "warc") }

// runReindex rebuilds the index from what the data folder keeps, with no
// network: every page and PDF of the raw archive goes through today's
// extraction again (crawler.Replay; documents are replaced by id), then the
// search index is rebuilt from the document store, which also holds the
// imported documents, with today's analysis.
func (m *Main) runReindex(ctx context.Context) error {
	put := func(ctx context.Context, docs []stichwort.Document) error {
		// Not m.indexBatch: re-extracted documents are not news, so the
		// hooks that react to new documents (alerts) do not see them.
		return m.idx.Put(ctx, docs)
	}
	stats, err := crawler.Replay(ctx, crawler.ReplayConfig{
		ArchiveDir: m.archiveDir(),
		Logger:     m.logger,
	}, put)
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	if err := m.idx.Reindex(ctx); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	m.logger.Info("reindexed", slog.Int("from_archive", stats.Documents), slog.Int("docs", m.idx.Count()))
	fmt.Fprintf(m.Stderr, "reindex: %d Dokumente aus dem Archiv neu extrahiert, %d Dokumente im Index\n",
		stats.Documents, m.idx.Count())
	return nil
}
