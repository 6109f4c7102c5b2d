package index

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the index into dir, which must not
// exist yet, while the index stays in use: searches go on, writers wait
// until the copy is done, so the document store and the Bleve index in the
// copy hold the same documents. The document store is copied in one bbolt
// read transaction, the Bleve index through its own snapshot copy
// (bleve.IndexCopyable). The copy opens like any index folder.
func (x *Index) Backup(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return fmt.Errorf("index: backup: %s exists already", dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("index: backup: %w", err)
	}
	x.wmu.Lock()
	defer x.wmu.Unlock()
	x.mu.RLock()
	defer x.mu.RUnlock()
	err := x.docs.db.View(func(tx *bolt.Tx) error {
		return tx.CopyFile(filepath.Join(dir, "docs.db"), 0o600)
	})
	if err != nil {
		return fmt.Errorf("index: backup documents: %w", err)
	}
	c, ok := x.bleve.(bleve.IndexCopyable)
	if !ok {
		return errors.New("index: backup: the Bleve index cannot be copied online")
	}
	if err := c.CopyTo(bleve.FileSystemDirectory(filepath.Join(dir, "index"))); err != nil {
		return fmt.Errorf("index: backup search index: %w", err)
	}
	return nil
}
