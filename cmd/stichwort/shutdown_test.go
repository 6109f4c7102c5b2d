package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stichwort/index/alerts"
)

// TestShutdownKeepsAcceptedAlerts creates alerts from 32 clients at once
// and stops the server in the middle, the way SIGTERM does (Main.Close
// after the signal's context ends). Every alert the server acknowledged
// with 201 must be in the store when it is opened again; requests the
// stopping server refused were never acknowledged.
func TestShutdownKeepsAcceptedAlerts(t *testing.T) {
	data := t.TempDir()
	ctx, stop := context.WithCancel(context.Background())
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, io.Discard
	if err := m.ParseFlags([]string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--log-level", "error",
		"--alert-rate-limit", "0"}); err != nil {
		t.Fatal(err)
	}
	// What main does: Run, then serve until the signal's context ends,
	// then Close.
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		<-ctx.Done()
		if err := m.Close(); err != nil {
			t.Error(err)
		}
		close(exited)
	}()
	base := "http://" + m.Addr()

	var (
		mu       sync.Mutex
		accepted []string
		refused  atomic.Int64
		started  = make(chan struct{})
		once     sync.Once
		wg       sync.WaitGroup
	)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				body := `{"name":"Alarm ` + strings.Repeat("x", i%5) + `","q":"Zwilling ` + string(rune('a'+n%26)) + `"}`
				resp, err := client.Post(base+"/api/alerts", "application/json", strings.NewReader(body))
				if err != nil {
					refused.Add(1)
					return // the server has stopped listening
				}
				data, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					refused.Add(1)
					return
				}
				var a struct{ ID string }
				if err := json.Unmarshal(data, &a); err != nil || a.ID == "" {
					t.Errorf("201 without an id: %s", data)
					return
				}
				mu.Lock()
				accepted = append(accepted, a.ID)
				if len(accepted) == 200 {
					once.Do(func() { close(started) })
				}
				mu.Unlock()
			}
		}()
	}
	select {
	case <-started:
	case <-time.After(30 * time.Second):
		t.Fatal("200 alerts were not created within 30 s")
	}
	stop() // SIGTERM
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop within 30 s")
	}
	wg.Wait()

	st, err := alerts.Open(filepath.Join(data, "alerts.db"), alerts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lost := 0
	for _, id := range accepted {
		if _, err := st.Get(id); err != nil {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged alerts lost", lost, len(accepted))
	}
	if n := len(st.List()); n < len(accepted) {
		t.Errorf("%d alerts stored, %d acknowledged", n, len(accepted))
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d alerts acknowledged and kept, %d requests refused by the stopping server", len(accepted), refused.Load())
	if code, out, errOut := run(t, "", "check", "--data", data); code != 0 || !bytes.Contains([]byte(out), []byte("in Ordnung")) {
		t.Errorf("check after the stop: exit %d\n%s%s", code, out, errOut)
	}
}
