// Package alerts keeps stichwort's saved searches ("Alarme") and what they
// found: each alert's matches with the time stichwort discovered them, in a
// bbolt file of the data folder (alerts.db), so alerts and matches survive
// restarts.
//
// After every indexed batch, Store.Percolate matches the new and changed
// documents against all alerts (through the index's Percolator, which knows
// the analysis and the query building) and records the new matches. A
// document is recorded once per alert: when it changes and still matches,
// its entry is refreshed but keeps its time of discovery. The feed of an
// alert lists its matches newest discovery first, so an article published
// long ago but found today still reaches the subscriber.
//
// Alerts with a webhook also get a delivery queued in the same transaction
// as their matches; a Deliverer POSTs it in the background with retries and
// exponential backoff, and refuses loopback, private and link-local
// addresses at dial time unless allowed. A failed delivery never loses a
// match: it stays in the alert's feed.
//
// The package does not parse user input (the server validates it) and does
// not render feeds.
package alerts
