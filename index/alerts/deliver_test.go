package alerts

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"stichwort"
)

// receiver is an httptest webhook endpoint that answers with the given
// statuses in turn (200 when they run out) and keeps what it got.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	got      []payload
	ids      []string
	calls    int
	notify   chan struct{}
}

func newReceiver(tb testing.TB, statuses ...int) *receiver {
	r := &receiver{statuses: statuses, notify: make(chan struct{}, 100)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.calls++
		status := http.StatusOK
		if len(r.statuses) > 0 {
			status, r.statuses = r.statuses[0], r.statuses[1:]
		}
		if status == http.StatusOK {
			var p payload
			if req.Method != http.MethodPost || !strings.HasPrefix(req.Header.Get("Content-Type"), "application/json") || json.Unmarshal(body, &p) != nil {
				status = http.StatusBadRequest
			} else {
				r.got = append(r.got, p)
				r.ids = append(r.ids, req.Header.Get("X-Stichwort-Delivery"))
			}
		}
		r.mu.Unlock()
		w.WriteHeader(status)
		r.notify <- struct{}{}
	}))
	tb.Cleanup(r.Close)
	return r
}

func (r *receiver) snapshot() (calls int, got []payload, ids []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls, append([]payload(nil), r.got...), append([]string(nil), r.ids...)
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func runDeliverer(tb testing.TB, s *Store, opts DeliveryOptions) *Deliverer {
	tb.Helper()
	d := NewDeliverer(s, opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	tb.Cleanup(func() { cancel(); <-done })
	return d
}

func TestDeliveryRetriesAfterAFailure(t *testing.T) {
	rcv := newReceiver(t, http.StatusInternalServerError)
	s := mustStore(t, filepath.Join(t.TempDir(), "alerts.db"), Options{AllowPrivateWebhooks: true})
	a := mustCreate(t, s, Alert{Name: "Hook", Webhook: rcv.URL + "/hook"})
	d := runDeliverer(t, s, DeliveryOptions{AllowPrivate: true, BaseDelay: 10 * time.Millisecond})

	m := doc("https://example.org/a", "Ein Treffer", time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), "Smart City")
	if n, err := s.Record(map[string][]stichwort.Document{a.ID: {m}}); err != nil || n != 1 {
		t.Fatal(n, err)
	}
	waitFor(t, "the delivery", func() bool { _, got, _ := rcv.snapshot(); return len(got) == 1 })
	calls, got, ids := rcv.snapshot()
	if calls != 2 {
		t.Errorf("%d calls, want a failure and a retry", calls)
	}
	p := got[0]
	if p.Alert.ID != a.ID || p.Alert.Name != "Hook" || p.Alert.Feed != "/alerts/"+a.ID+"/feed.atom" ||
		len(p.Matches) != 1 || p.Matches[0].URL != m.URL || p.Matches[0].Found.IsZero() || p.Delivery != ids[0] {
		t.Errorf("payload %+v (id header %q)", p, ids[0])
	}
	waitFor(t, "the counts", func() bool { st := d.Stats(); return st.Delivered == 1 && st.Pending == 0 })
	if st := d.Stats(); st.Retried != 1 || st.Failed != 0 {
		t.Errorf("stats %+v", st)
	}
	// The same document again is no new match and queues no delivery.
	if n, err := s.Record(map[string][]stichwort.Document{a.ID: {m}}); err != nil || n != 0 || s.pending() != 0 {
		t.Errorf("a known match: %d new, %d queued, %v", n, s.pending(), err)
	}
}

func TestDeliveryRefusesLoopbackAtDialTime(t *testing.T) {
	rcv := newReceiver(t)
	// The store lets the webhook in (as a name that resolves to loopback
	// would pass it); the deliverer's dialer must refuse it.
	s := mustStore(t, filepath.Join(t.TempDir(), "alerts.db"), Options{AllowPrivateWebhooks: true})
	a := mustCreate(t, s, Alert{Name: "Hook", Webhook: strings.Replace(rcv.URL, "127.0.0.1", "localhost", 1)})
	d := runDeliverer(t, s, DeliveryOptions{BaseDelay: 10 * time.Millisecond})
	s.Record(map[string][]stichwort.Document{a.ID: {doc("https://example.org/a", "A", time.Time{})}})
	waitFor(t, "the refusal", func() bool { return d.Stats().Failed == 1 })
	if calls, _, _ := rcv.snapshot(); calls != 0 {
		t.Errorf("the loopback receiver got %d calls", calls)
	}
	if st := d.Stats(); st.Retried != 0 || st.Pending != 0 {
		t.Errorf("a refused address is retried: %+v", st)
	}
	if _, n, _ := s.Matches(a.ID, 10); n != 1 {
		t.Errorf("the match is lost: %d", n)
	}
}

func TestDeliveryGivesUp(t *testing.T) {
	for _, tc := range []struct {
		name     string
		statuses []int
		calls    int
	}{
		{"a client error is not retried", []int{http.StatusGone}, 1},
		{"after MaxAttempts", []int{503, 503, 503, 503}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rcv := newReceiver(t, tc.statuses...)
			s := mustStore(t, filepath.Join(t.TempDir(), "alerts.db"), Options{AllowPrivateWebhooks: true})
			a := mustCreate(t, s, Alert{Name: "Hook", Webhook: rcv.URL})
			d := runDeliverer(t, s, DeliveryOptions{AllowPrivate: true, BaseDelay: time.Millisecond, MaxAttempts: 3})
			s.Record(map[string][]stichwort.Document{a.ID: {doc("https://example.org/a", "A", time.Time{})}})
			waitFor(t, "giving up", func() bool { return d.Stats().Failed == 1 })
			if calls, _, _ := rcv.snapshot(); calls != tc.calls {
				t.Errorf("%d calls, want %d", calls, tc.calls)
			}
			if _, n, _ := s.Matches(a.ID, 10); n != 1 {
				t.Errorf("the match is lost")
			}
		})
	}
}

func TestDeliveryQueueSurvivesRestart(t *testing.T) {
	rcv := newReceiver(t)
	path := filepath.Join(t.TempDir(), "alerts.db")
	s, err := Open(path, Options{AllowPrivateWebhooks: true})
	if err != nil {
		t.Fatal(err)
	}
	a := mustCreate(t, s, Alert{Name: "Hook", Webhook: rcv.URL})
	s.Record(map[string][]stichwort.Document{a.ID: {doc("https://example.org/a", "A", time.Time{})}})
	s.Close() // no deliverer ran: a crawl command that ended at once

	s = mustStore(t, path, Options{AllowPrivateWebhooks: true})
	runDeliverer(t, s, DeliveryOptions{AllowPrivate: true})
	waitFor(t, "the delivery after the restart", func() bool { _, got, _ := rcv.snapshot(); return len(got) == 1 })
}

func TestDeleteDropsQueuedDeliveries(t *testing.T) {
	s := mustStore(t, filepath.Join(t.TempDir(), "alerts.db"), Options{AllowPrivateWebhooks: true})
	a := mustCreate(t, s, Alert{Name: "Hook", Webhook: "http://127.0.0.1:9/"})
	s.Record(map[string][]stichwort.Document{a.ID: {doc("https://example.org/a", "A", time.Time{})}})
	if s.pending() != 1 {
		t.Fatalf("pending %d", s.pending())
	}
	if err := s.Delete(a.ID); err != nil {
		t.Fatal(err)
	}
	if s.pending() != 0 {
		t.Errorf("pending after delete: %d", s.pending())
	}
}

func TestBackoff(t *testing.T) {
	d := NewDeliverer(nil, DeliveryOptions{BaseDelay: time.Second, MaxDelay: 10 * time.Second})
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 5: 10 * time.Second, 30: 10 * time.Second} {
		got := d.backoff(n)
		if got < want*8/10 || got > want*12/10 {
			t.Errorf("backoff(%d) = %v, want %v ± 20 %%", n, got, want)
		}
	}
}
