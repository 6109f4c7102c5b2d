package main

import (
	"flag"

	"stichwort/server"
)

// Defaults of the per-client rate limits of serve: generous for a person
// at a browser (a page view with autocomplete is a handful of requests),
// tight for a script hammering the search or filling the alert store.
const (
	defaultRateLimit      = 10   // searches per second per client
	defaultRateBurst      = 50   // searches at once
	defaultAlertRateLimit = 0.05 // alerts per second per client: 3 a minute
	defaultAlertRateBurst = 10
)

// limitFlags declares the rate-limit flags of serve and demo.
func (m *Main) limitFlags(fs *flag.FlagSet) {
	if !m.serving() {
		return
	}
	fs.Float64Var(&m.limits.Search, "rate-limit", defaultRateLimit,
		"searches (page, API, feeds) per second per client address (0: no limit)")
	fs.IntVar(&m.limits.SearchBurst, "rate-burst", defaultRateBurst,
		"searches a client address may send at once before --rate-limit applies")
	fs.Float64Var(&m.limits.Alerts, "alert-rate-limit", defaultAlertRateLimit,
		"alerts created per second per client address (0: no limit)")
	fs.IntVar(&m.limits.AlertBurst, "alert-rate-burst", defaultAlertRateBurst,
		"alerts a client address may create at once before --alert-rate-limit applies")
	fs.BoolVar(&m.limits.TrustProxy, "trust-proxy", false,
		"take the client address from the last X-Forwarded-For entry (only behind a reverse proxy that sets it)")
}

// checkLimitFlags refuses negative limits.
func (m *Main) checkLimitFlags() error {
	l := m.limits
	if l.Search < 0 || l.Alerts < 0 || l.SearchBurst < 0 || l.AlertBurst < 0 {
		return usagef("--rate-limit, --rate-burst, --alert-rate-limit and --alert-rate-burst must not be negative")
	}
	return nil
}

// withLimits adds the rate limits to the server's configuration.
func (m *Main) withLimits(cfg server.Config) server.Config {
	cfg.RateLimit = m.limits
	return cfg
}
