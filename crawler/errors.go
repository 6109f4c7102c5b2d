package crawler

import "errors"

// Errors the crawler logs for failed fetches, and that Run returns.
var (
	// ErrBodyTooLarge means a response exceeded Config.MaxBodyBytes.
	ErrBodyTooLarge = errors.New("body too large")
	// ErrRedirectLoop means a redirect led back to a URL of its own chain.
	ErrRedirectLoop = errors.New("redirect loop")
	// ErrTooManyRedirects means a chain was longer than MaxRedirects.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrPrivateAddress means a connection to a loopback or private address
	// was refused (see Config.AllowPrivate).
	ErrPrivateAddress = errors.New("private address refused")
	// ErrHostDown means a host failed BreakerThreshold times in a row; its
	// other URLs are skipped for the rest of the run.
	ErrHostDown = errors.New("host down")
	// ErrStatus means the server answered with an error status.
	ErrStatus = errors.New("http error status")
	// ErrArchive means a response could not be written to the raw archive;
	// it ends the run (the disk is full or the folder is gone), and the URL
	// stays queued for the next run.
	ErrArchive = errors.New("archive")
	// ErrNotArchived means Replay found no response for a URL in the
	// archive: the crawl never fetched it.
	ErrNotArchived = errors.New("not in the archive")
	// ErrRunning is returned by Run while another Run of the same Crawler
	// is in progress.
	ErrRunning = errors.New("crawler: already running")
	// ErrClosed is returned by Run after Close.
	ErrClosed = errors.New("crawler: closed")
)
