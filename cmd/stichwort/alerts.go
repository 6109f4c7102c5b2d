package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"stichwort"
	"stichwort/crawler"
	"stichwort/index/alerts"
	"stichwort/server"
)

// adminTokenEnv is read only when --admin-token is not given.
const adminTokenEnv = "STICHWORT_ADMIN_TOKEN"

// alertsPart is the alerts' share of Main: the store in DATA/alerts.db,
// percolation after every indexed batch, the webhook deliverer and the
// crawls started by POST /api/crawl.
type alertsPart struct {
	adminToken   string
	allowPrivate bool // --allow-private-webhooks

	store     *alerts.Store
	deliverer *alerts.Deliverer
	stop      context.CancelFunc // the deliverer and requested crawls
	ctx       context.Context
	wg        sync.WaitGroup
}

// alertFlags declares the flags of the alerts for the command.
func (m *Main) alertFlags(fs *flag.FlagSet) {
	switch m.cmd {
	case "serve", "demo":
		fs.StringVar(&m.alerts.adminToken, "admin-token", "",
			"token for GET /api/alerts and POST /api/crawl (default: $"+adminTokenEnv+"; without one both answer 401)")
		fallthrough
	case "crawl", "import":
		fs.BoolVar(&m.alerts.allowPrivate, "allow-private-webhooks", false,
			"allow alert webhooks on loopback and private addresses")
	}
}

// alertFlagsParsed applies the environment: STICHWORT_ADMIN_TOKEN counts
// only when --admin-token was not given, so a flag always wins.
func (m *Main) alertFlagsParsed(fs *flag.FlagSet) {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "admin-token" })
	if !given && (m.cmd == "serve" || m.cmd == "demo") {
		m.alerts.adminToken = os.Getenv(adminTokenEnv)
	}
}

// openAlerts opens the alert store of the data folder for the commands
// that index (crawl, import, serve, demo), matches every indexed batch
// against the alerts and starts delivering webhooks.
func (m *Main) openAlerts(ctx context.Context) error {
	switch m.cmd {
	case "crawl", "import", "serve", "demo":
	default:
		return nil
	}
	st, err := alerts.Open(filepath.Join(m.dataDir, "alerts.db"), alerts.Options{
		AllowPrivateWebhooks: m.alerts.allowPrivate, Logger: m.logger})
	if err != nil {
		if errors.Is(err, alerts.ErrLocked) {
			return fmt.Errorf("%s is in use by another stichwort process (a running serve?); stop it first: %w", m.dataDir, err)
		}
		return err
	}
	m.alerts.store = st
	percolator := m.idx.NewPercolator()
	m.afterIndex = append(m.afterIndex, func(ctx context.Context, docs []stichwort.Document) error {
		start := time.Now()
		n, err := st.Percolate(ctx, percolator, docs)
		if err != nil {
			return err
		}
		level := slog.LevelDebug
		if n > 0 {
			level = slog.LevelInfo
		}
		m.logger.Log(ctx, level, "alerts matched", slog.Int("docs", len(docs)), slog.Int("new_matches", n),
			slog.Duration("took", time.Since(start)))
		return nil
	})
	m.alerts.ctx, m.alerts.stop = context.WithCancel(ctx)
	m.alerts.deliverer = alerts.NewDeliverer(st, alerts.DeliveryOptions{
		AllowPrivate: m.alerts.allowPrivate, UserAgent: "stichwort/" + version, Logger: m.logger})
	m.alerts.wg.Add(1)
	go func() {
		defer m.alerts.wg.Done()
		m.alerts.deliverer.Run(m.alerts.ctx)
	}()
	return nil
}

// withAlerts adds the alerts, the admin token and the crawl trigger to
// the server's configuration.
func (m *Main) withAlerts(cfg server.Config) server.Config {
	if m.alerts.store != nil {
		cfg.Alerts = m.alerts.store
		cfg.Deliveries = m.alerts.deliverer.Stats
	}
	cfg.AdminToken = m.alerts.adminToken
	if len(m.seeds) > 0 {
		cfg.Crawl = m.crawlNow
	}
	return cfg
}

// crawlNow starts a crawl in the background (POST /api/crawl).
func (m *Main) crawlNow() error {
	c := m.live.Load()
	if c == nil || m.alerts.ctx == nil {
		return server.ErrNoCrawler
	}
	if c.Progress().Running {
		return server.ErrCrawlRunning
	}
	m.alerts.wg.Add(1)
	go func() {
		defer m.alerts.wg.Done()
		m.setCrawling(true)
		stats, err := c.Run(m.alerts.ctx)
		m.setCrawling(false)
		switch {
		case errors.Is(err, crawler.ErrRunning):
			m.logger.Info("requested crawl skipped: a crawl is running")
		case err != nil && m.alerts.ctx.Err() == nil:
			m.logger.Error("requested crawl failed", slog.String("error", err.Error()))
		default:
			m.logger.Info("requested crawl finished", slog.Any("stats", stats), slog.Int("docs", m.idx.Count()))
		}
	}()
	return nil
}

// stopAlerts cancels the deliverer and requested crawls; Close calls it
// first, so that closing the crawler does not wait for a whole crawl.
func (m *Main) stopAlerts() {
	if m.alerts.stop == nil {
		return
	}
	if !m.serving() {
		m.drainDeliveries(5 * time.Second)
	}
	m.alerts.stop()
}

// drainDeliveries gives the webhooks of a crawl or import run a moment to
// go out before the program ends; what is left stays queued in alerts.db
// for the next run.
func (m *Main) drainDeliveries(limit time.Duration) {
	deadline := time.Now().Add(limit)
	for m.alerts.deliverer.Stats().Pending > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
}

// closeAlerts waits for the deliverer and requested crawls and closes the
// store; Close calls it after the crawler is closed.
func (m *Main) closeAlerts() error {
	if m.alerts.store == nil {
		return nil
	}
	m.alerts.stop()
	m.alerts.wg.Wait()
	err := m.alerts.store.Close()
	m.alerts.store = nil
	return err
}
