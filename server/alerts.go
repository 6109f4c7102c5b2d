package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"stichwort/index/alerts"
)

// AlertStore keeps saved searches and what they found (alerts.Store).
type AlertStore interface {
	// Create saves a new alert and fills its id; it returns
	// alerts.ErrForbiddenAddress for a webhook on a non-public address
	// and alerts.ErrFull when no more alerts fit.
	Create(a alerts.Alert) (alerts.Alert, error)
	// Get returns the alert or alerts.ErrNotFound.
	Get(id string) (alerts.Alert, error)
	// Delete removes the alert or returns alerts.ErrNotFound.
	Delete(id string) error
	// List returns all alerts.
	List() []alerts.Alert
	// Matches returns up to n matches, newest discovery first, and how
	// many the alert keeps; alerts.ErrNotFound for an unknown alert.
	Matches(id string, n int) ([]alerts.Match, int, error)
}

// Errors a Config.Crawl function returns.
var (
	// ErrCrawlRunning: a crawl is in progress already.
	ErrCrawlRunning = errors.New("server: a crawl is running")
	// ErrNoCrawler: the server was started without seeds.
	ErrNoCrawler = errors.New("server: no crawler configured")
)

// Limits of the alert API.
const (
	maxAlertBody    = 16 << 10
	maxAlertName    = 200 // runes
	maxWebhookLen   = 2048
	maxOPMLAlerts   = 100
	alertPageRecent = 20 // matches shown on an alert's page
)

// alertJSON is an alert as the API shows it. The names of the search
// fields are those of /api/search.
type alertJSON struct {
	ID      string     `json:"id"`
	Name    string     `json:"name"`
	Q       string     `json:"q"`
	Tags    []string   `json:"tags"`
	Type    stringList `json:"type,omitempty"`
	Source  []string   `json:"source,omitempty"`
	State   []string   `json:"state,omitempty"`
	Year    []int      `json:"year,omitempty"`
	From    string     `json:"from,omitempty"`
	To      string     `json:"to,omitempty"`
	Webhook string     `json:"webhook,omitempty"`
	Created string     `json:"created"`
	Feed    string     `json:"feed"`
	FeedRSS string     `json:"feed_rss"`
	Matches *int       `json:"matches,omitempty"`
}

// alertInput is the body of POST /api/alerts.
type alertInput struct {
	Name    string     `json:"name"`
	Q       string     `json:"q"`
	Tags    []string   `json:"tags"`
	Type    stringList `json:"type"`
	Source  []string   `json:"source"`
	State   []string   `json:"state"`
	Year    []int      `json:"year"`
	From    string     `json:"from"`
	To      string     `json:"to"`
	Webhook string     `json:"webhook"`
}

// stringList is a JSON string or a list of strings: "type": "pdf" and
// "type": ["article", "pdf"] both work. One value is written as a string.
type stringList []string

func (l *stringList) UnmarshalJSON(data []byte) error {
	var one string
	if err := json.Unmarshal(data, &one); err == nil {
		*l = stringList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(data, &many); err != nil {
		return errors.New("a string or a list of strings")
	}
	*l = many
	return nil
}

func (l stringList) MarshalJSON() ([]byte, error) {
	if len(l) == 1 {
		return json.Marshal(l[0])
	}
	return json.Marshal([]string(l))
}

func alertFeedPath(id, ext string) string { return "/alerts/" + id + "/feed." + ext }

func alertOf(a alerts.Alert) alertJSON {
	out := alertJSON{
		ID: a.ID, Name: a.Name, Q: a.Search.Query, Tags: nonNil(a.Search.Tags), Type: a.Search.Types,
		Source: a.Search.Sources, State: a.Search.States, Year: a.Search.Years, Webhook: a.Webhook,
		Created: a.Created.UTC().Format(time.RFC3339), Feed: alertFeedPath(a.ID, "atom"), FeedRSS: alertFeedPath(a.ID, "rss"),
	}
	if !a.Search.From.IsZero() {
		out.From = a.Search.From.Format(time.DateOnly)
	}
	if !a.Search.To.IsZero() {
		out.To = a.Search.To.Format(time.DateOnly)
	}
	return out
}

// newAlert validates an alert's search exactly like /api/search (through
// parseSearch), its name and its webhook, and returns the alert to save.
func newAlert(name string, search url.Values, webhook string) (alerts.Alert, error) {
	req, err := parseSearch(search)
	if err != nil {
		return alerts.Alert{}, err
	}
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl):
		return alerts.Alert{}, badParam("Feld name: kein gültiger Text")
	case utf8.RuneCountInString(name) > maxAlertName:
		return alerts.Alert{}, badParam("Feld name: höchstens %d Zeichen", maxAlertName)
	case name == "":
		name = strings.TrimPrefix(feedTitle(req), "stichwort: ")
	}
	webhook = strings.TrimSpace(webhook)
	if webhook != "" {
		if err := checkWebhook(webhook); err != nil {
			return alerts.Alert{}, err
		}
	}
	return alerts.Alert{Name: name, Search: alerts.SearchOf(req), Webhook: webhook}, nil
}

// checkWebhook validates the form of a webhook URL; the store and the
// deliverer judge its address.
func checkWebhook(raw string) error {
	if len(raw) > maxWebhookLen || !utf8.ValidString(raw) {
		return badParam("Feld webhook: höchstens %d Zeichen", maxWebhookLen)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.Opaque != "" {
		return badParam("Feld webhook: keine absolute http(s)-Adresse")
	}
	if u.User != nil {
		return badParam("Feld webhook: Zugangsdaten in der Adresse sind nicht erlaubt")
	}
	return nil
}

// searchParams turns the JSON fields of an alert into the query parameters
// of /api/search, so both are validated by the same code.
func (in alertInput) searchParams() url.Values {
	v := url.Values{"q": {in.Q}, "tag": in.Tags, "type": in.Type, "source": in.Source, "state": in.State,
		"from": {in.From}, "to": {in.To}}
	for _, y := range in.Year {
		v.Add("year", strconv.Itoa(y))
	}
	return v
}

// alertError answers an error of the alert API as JSON.
func (s *Server) alertError(w http.ResponseWriter, r *http.Request, err error) {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.Is(err, alerts.ErrNotFound):
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Alarm nicht gefunden"})
	case errors.Is(err, alerts.ErrForbiddenAddress):
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Feld webhook: Adressen im lokalen oder privaten Netz sind nicht erlaubt"})
	case errors.Is(err, alerts.ErrFull):
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "Es sind zu viele Alarme gespeichert; bitte später erneut versuchen"})
	case errors.As(err, &tooLarge):
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": "Anfrage zu groß (höchstens 16 KiB)"})
	default:
		s.apiError(w, r, err)
	}
}

// alertStore returns the store or answers 404 when alerts are off.
func (s *Server) alertStore(w http.ResponseWriter, r *http.Request) AlertStore {
	if s.cfg.Alerts == nil {
		s.apiNotFound(w, r)
	}
	return s.cfg.Alerts
}

func (s *Server) handleCreateAlert(w http.ResponseWriter, r *http.Request) {
	st := s.alertStore(w, r)
	if st == nil {
		return
	}
	var in alertInput
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAlertBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.alertError(w, r, err)
			return
		}
		s.alertError(w, r, badParam("Der Inhalt ist kein gültiges JSON-Objekt eines Alarms: {\"name\", \"q\", \"tags\", \"type\", \"webhook\"}"))
		return
	}
	if dec.More() {
		s.alertError(w, r, badParam("Der Inhalt enthält mehr als ein JSON-Objekt"))
		return
	}
	a, err := newAlert(in.Name, in.searchParams(), in.Webhook)
	if err != nil {
		s.alertError(w, r, err)
		return
	}
	a, err = st.Create(a)
	if err != nil {
		s.alertError(w, r, err)
		return
	}
	s.logger.Info("alert created", slog.String("alert", a.ID), slog.Bool("webhook", a.Webhook != ""))
	w.Header().Set("Location", "/api/alerts/"+a.ID)
	writeJSON(w, http.StatusCreated, alertOf(a))
}

// alertFor returns the alert named by the route's id, or answers 404.
func (s *Server) alertFor(w http.ResponseWriter, r *http.Request) (AlertStore, alerts.Alert, bool) {
	st := s.alertStore(w, r)
	if st == nil {
		return nil, alerts.Alert{}, false
	}
	id := mux.Vars(r)["id"]
	if !alerts.ValidID(id) {
		s.alertError(w, r, alerts.ErrNotFound)
		return nil, alerts.Alert{}, false
	}
	a, err := st.Get(id)
	if err != nil {
		s.alertError(w, r, err)
		return nil, alerts.Alert{}, false
	}
	return st, a, true
}

func (s *Server) handleGetAlert(w http.ResponseWriter, r *http.Request) {
	st, a, ok := s.alertFor(w, r)
	if !ok {
		return
	}
	out := alertOf(a)
	if _, n, err := st.Matches(a.ID, 0); err == nil {
		out.Matches = &n
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleDeleteAlert(w http.ResponseWriter, r *http.Request) {
	st, a, ok := s.alertFor(w, r)
	if !ok {
		return
	}
	if err := st.Delete(a.ID); err != nil {
		s.alertError(w, r, err)
		return
	}
	s.logger.Info("alert deleted", slog.String("alert", a.ID))
	w.WriteHeader(http.StatusNoContent)
}

// handleListAlerts lists every alert: for the operator only.
func (s *Server) handleListAlerts(w http.ResponseWriter, r *http.Request) {
	if !s.requireAdmin(w, r) {
		return
	}
	st := s.alertStore(w, r)
	if st == nil {
		return
	}
	list := st.List()
	out := make([]alertJSON, len(list))
	for i, a := range list {
		out[i] = alertOf(a)
	}
	resp := map[string]any{"alerts": out}
	if s.cfg.Deliveries != nil {
		resp["deliveries"] = s.cfg.Deliveries()
	}
	writeJSON(w, http.StatusOK, resp)
}

// handleAlertFeed serves an alert's matches as a feed, newest discovery
// first: an entry's updated time is its discovery, its published time the
// document's date.
func (s *Server) handleAlertFeed(format feedFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st, a, ok := s.alertFor(w, r)
		if !ok {
			return
		}
		matches, _, err := st.Matches(a.ID, feedSize)
		if err != nil {
			s.alertError(w, r, err)
			return
		}
		base := baseURL(r)
		meta := feedMeta{
			Title:       "stichwort-Alarm: " + a.Name,
			Description: "Neue Treffer des Alarms „" + a.Name + "“, neueste Funde zuerst",
			Link:        base + "/?" + searchValues(a.Search.Request()).Encode(),
			Self:        base + r.URL.Path,
			ID:          base + alertFeedPath(a.ID, "atom"),
			Updated:     a.Created,
		}
		entries := make([]feedEntry, len(matches))
		for i, m := range matches {
			entries[i] = feedEntry{ID: m.URL, Title: m.Title, URL: m.URL, Summary: m.Snippet,
				Published: m.Date, Updated: m.Found, Tags: m.Tags, Source: m.Source, DocType: m.Type}
			if m.Found.After(meta.Updated) {
				meta.Updated = m.Found
			}
		}
		s.writeFeed(w, r, format, meta, entries)
	}
}

// handleCrawl starts a crawl now: for the operator only.
func (s *Server) handleCrawl(w http.ResponseWriter, r *http.Request) {
	if !s.requireAdmin(w, r) {
		return
	}
	if s.cfg.Crawl == nil {
		writeJSON(w, http.StatusConflict, map[string]string{"error": "Dieser Server crawlt nicht (ohne --seed gestartet)"})
		return
	}
	switch err := s.cfg.Crawl(); {
	case err == nil:
		s.logger.Info("crawl started on request")
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "Crawl gestartet"})
	case errors.Is(err, ErrCrawlRunning):
		writeJSON(w, http.StatusConflict, map[string]string{"error": "Ein Crawl läuft bereits"})
	case errors.Is(err, ErrNoCrawler):
		writeJSON(w, http.StatusConflict, map[string]string{"error": "Dieser Server crawlt nicht (ohne --seed gestartet)"})
	default:
		s.apiError(w, r, err)
	}
}

// requireAdmin checks the admin token, given as "Authorization: Bearer
// TOKEN", and answers 401 when it is missing or wrong, or when the server
// has no token at all.
func (s *Server) requireAdmin(w http.ResponseWriter, r *http.Request) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if ok && s.cfg.AdminToken != "" {
		// Hashing first makes the comparison constant-time in the length
		// too.
		got, want := sha256.Sum256([]byte(strings.TrimSpace(token))), sha256.Sum256([]byte(s.cfg.AdminToken))
		if subtle.ConstantTimeCompare(got[:], want[:]) == 1 {
			return true
		}
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="stichwort"`)
	writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "Admin-Token fehlt oder ist falsch (Authorization: Bearer …)"})
	return false
}

// parseIDs reads a list of alert ids given as ids=a,b or ids=a&ids=b.
func parseIDs(values []string) ([]string, error) {
	var ids []string
	for _, v := range values {
		for _, id := range strings.Split(v, ",") {
			id = strings.TrimSpace(id)
			if id == "" {
				continue
			}
			if !alerts.ValidID(id) {
				return nil, badParam("Parameter ids: %q ist keine Alarm-Kennung", clip(id))
			}
			if len(ids) == maxOPMLAlerts {
				return nil, badParam("Parameter ids: höchstens %d Alarme", maxOPMLAlerts)
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return nil, badParam("Parameter ids: mindestens eine Alarm-Kennung, durch Kommas getrennt")
	}
	return ids, nil
}
