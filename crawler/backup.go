package crawler

import "fmt"

// BackupState writes a consistent copy of the crawl state to the file
// path while the crawler may be running: the copy holds whole batches
// only, as committed after the Sink took them. Copy the state before the
// index it feeds, so that the copy of the index holds every document the
// copy of the state records as delivered.
func (c *Crawler) BackupState(path string) error {
	if err := c.store.Backup(path); err != nil {
		return fmt.Errorf("crawler: backup state: %w", err)
	}
	return nil
}
