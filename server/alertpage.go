package server

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gorilla/mux"

	"stichwort/index/alerts"
)

// The alerts saved in a browser are remembered in a cookie: their ids,
// newest last. The page works without JavaScript.
const (
	alertCookie    = "stichwort_alarme"
	maxCookieIDs   = 50
	alertCookieAge = 5 * 365 * 24 * 60 * 60 // seconds
)

// alertPage is the page of one alert: its feeds and latest matches.
type alertPage struct {
	Alert     alerts.Alert
	Search    string // the search in words
	SearchURL string
	FeedAtom  string // absolute URLs, to copy into a feed reader
	FeedRSS   string
	OPML      string
	Matches   []alerts.Match
	Total     int
	New       bool // just saved
	Version   string
}

// alertsPage lists the alerts saved in this browser.
type alertsPage struct {
	Alerts  []alertPage
	OPML    string
	Version string
}

// handleAlertForm saves the search posted by the form of the result page
// ("Als Alarm speichern") and redirects to the new alert's page.
func (s *Server) handleAlertForm(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Alerts == nil {
		s.pageNotFound(w, r)
		return
	}
	if !sameSite(r) {
		s.pageError(w, r, http.StatusForbidden, "Dieses Formular kann nur von stichwort selbst abgeschickt werden.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxAlertBody)
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, http.StatusBadRequest, "Das Formular ist unvollständig oder zu groß.")
		return
	}
	a, err := newAlert(r.PostForm.Get("name"), r.PostForm, "")
	if err == nil {
		a, err = s.cfg.Alerts.Create(a)
	}
	if err != nil {
		var pe *paramError
		switch {
		case errors.As(err, &pe):
			s.pageError(w, r, http.StatusBadRequest, pe.msg)
		case errors.Is(err, alerts.ErrFull):
			s.pageError(w, r, http.StatusServiceUnavailable, "Es sind zu viele Alarme gespeichert; bitte später erneut versuchen.")
		default:
			status, msg := s.statusOf(r, err)
			s.pageError(w, r, status, msg)
		}
		return
	}
	s.logger.Info("alert created", slog.String("alert", a.ID), slog.String("via", "page"))
	ids := append(slices.DeleteFunc(cookieIDs(r), func(id string) bool { return id == a.ID }), a.ID)
	setCookieIDs(w, r, ids)
	http.Redirect(w, r, "/alarm/"+a.ID+"?neu=1", http.StatusSeeOther)
}

// handleAlertPage shows an alert: the feed URLs to subscribe to and what
// it found lately.
func (s *Server) handleAlertPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.alertView(w, r, mux.Vars(r)["id"], alertPageRecent)
	if !ok {
		return
	}
	p.New = r.URL.Query().Get("neu") == "1"
	s.render(w, http.StatusOK, "alarm.html", p)
}

// alertView gathers what a page shows of an alert, or renders 404.
func (s *Server) alertView(w http.ResponseWriter, r *http.Request, id string, recent int) (alertPage, bool) {
	var a alerts.Alert
	err := alerts.ErrNotFound
	if s.cfg.Alerts != nil && alerts.ValidID(id) {
		a, err = s.cfg.Alerts.Get(id)
	}
	if err != nil {
		if w != nil {
			s.pageError(w, r, http.StatusNotFound, "Diesen Alarm gibt es nicht (mehr).")
		}
		return alertPage{}, false
	}
	base := baseURL(r)
	req := a.Search.Request()
	p := alertPage{
		Alert:     a,
		Search:    strings.TrimPrefix(feedTitle(req), "stichwort: "),
		SearchURL: "/?" + searchValues(req).Encode(),
		FeedAtom:  base + alertFeedPath(a.ID, "atom"),
		FeedRSS:   base + alertFeedPath(a.ID, "rss"),
		OPML:      "/api/alerts.opml?ids=" + a.ID,
		Version:   s.cfg.Version,
	}
	p.Matches, p.Total, _ = s.cfg.Alerts.Matches(a.ID, recent)
	return p, true
}

// handleAlertsPage lists the alerts saved in this browser.
func (s *Server) handleAlertsPage(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Alerts == nil {
		s.pageNotFound(w, r)
		return
	}
	p := alertsPage{Version: s.cfg.Version}
	ids := cookieIDs(r)
	var kept []string
	for i := len(ids) - 1; i >= 0; i-- { // newest first
		if a, ok := s.alertView(nil, r, ids[i], 3); ok {
			p.Alerts = append(p.Alerts, a)
			kept = append(kept, ids[i])
		}
	}
	if len(kept) > 0 {
		p.OPML = "/api/alerts.opml?ids=" + strings.Join(kept, ",")
	}
	if len(kept) != len(ids) { // forget alerts deleted elsewhere
		slices.Reverse(kept)
		setCookieIDs(w, r, kept)
	}
	s.render(w, http.StatusOK, "alarme.html", p)
}

// handleAlertPageDelete deletes an alert from its page.
func (s *Server) handleAlertPageDelete(w http.ResponseWriter, r *http.Request) {
	if !sameSite(r) {
		s.pageError(w, r, http.StatusForbidden, "Dieses Formular kann nur von stichwort selbst abgeschickt werden.")
		return
	}
	id := mux.Vars(r)["id"]
	if _, ok := s.alertView(w, r, id, 0); !ok {
		return
	}
	if err := s.cfg.Alerts.Delete(id); err != nil && !errors.Is(err, alerts.ErrNotFound) {
		status, msg := s.statusOf(r, err)
		s.pageError(w, r, status, msg)
		return
	}
	s.logger.Info("alert deleted", slog.String("alert", id), slog.String("via", "page"))
	setCookieIDs(w, r, slices.DeleteFunc(cookieIDs(r), func(x string) bool { return x == id }))
	http.Redirect(w, r, "/alarme", http.StatusSeeOther)
}

func (s *Server) pageError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, status, "error.html", map[string]any{"Message": msg, "Version": s.cfg.Version})
}

// sameSite refuses forms posted from other sites: browsers say where a
// request comes from in Sec-Fetch-Site (and Origin); clients that send
// neither, like curl, are let through.
func sameSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return false
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		return err == nil && u.Host == r.Host
	}
	return true
}

// cookieIDs reads the alert ids saved in this browser.
func cookieIDs(r *http.Request) []string {
	c, err := r.Cookie(alertCookie)
	if err != nil {
		return nil
	}
	var ids []string
	for _, id := range strings.Split(c.Value, ".") {
		if alerts.ValidID(id) && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

func setCookieIDs(w http.ResponseWriter, r *http.Request, ids []string) {
	if len(ids) > maxCookieIDs {
		ids = ids[len(ids)-maxCookieIDs:]
	}
	c := &http.Cookie{Name: alertCookie, Value: strings.Join(ids, "."), Path: "/", MaxAge: alertCookieAge,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode}
	if len(ids) == 0 {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}
