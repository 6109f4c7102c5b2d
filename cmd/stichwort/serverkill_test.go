package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"stichwort/index/alerts"
)

// TestServerKillKeepsAlerts runs serve as a child process while clients
// create alerts, kills it with SIGKILL at a random moment, and checks
// after every kill: every alert acknowledged with 201 is stored, and
// "stichwort check" finds the data folder in order. The same folder is
// served again after each kill, so the alerts of all runs add up.
// -crash-kills sets the number of kills (make stress raises it).
func TestServerKillKeepsAlerts(t *testing.T) {
	data := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	var accepted []string
	for kill := range *crashKills {
		var stderr bytes.Buffer
		cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$", "--", "serve", "--data", data,
			"--addr", "127.0.0.1:0", "--log-level", "error", "--alert-rate-limit", "0")
		cmd.Env = append(os.Environ(), childEnv+"=1")
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		addr := serverAddr(t, out, cmd, &stderr)
		go io.Copy(io.Discard, out)

		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		client := &http.Client{Timeout: 5 * time.Second}
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					resp, err := client.Post("http://"+addr+"/api/alerts", "application/json",
						strings.NewReader(`{"name":"Absturz","q":"Zwilling"}`))
					if err != nil {
						return // killed
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					var a struct{ ID string }
					if resp.StatusCode == http.StatusCreated && json.Unmarshal(body, &a) == nil && a.ID != "" {
						mu.Lock()
						accepted = append(accepted, a.ID)
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(time.Duration(50+rng.IntN(400)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		close(stop)
		wg.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ProcessState.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("kill %d: the server ended with %v\n%s", kill+1, err, stderr.String())
		}

		st, err := alerts.Open(filepath.Join(data, "alerts.db"), alerts.Options{})
		if err != nil {
			t.Fatalf("after kill %d: %v", kill+1, err)
		}
		lost := 0
		for _, id := range accepted {
			if _, err := st.Get(id); err != nil {
				lost++
			}
		}
		st.Close()
		if lost > 0 {
			t.Fatalf("after kill %d: %d of %d acknowledged alerts lost", kill+1, lost, len(accepted))
		}
		if code, out, errOut := run(t, "", "check", "--data", data); code != 0 {
			t.Fatalf("check after kill %d: exit %d\n%s%s", kill+1, code, out, errOut)
		}
		t.Logf("kill %d: %d alerts acknowledged so far, none lost", kill+1, len(accepted))
	}
	if len(accepted) == 0 {
		t.Fatal("no alert was created")
	}
}

// serverAddr reads the address the child prints when it listens.
func serverAddr(t *testing.T, out io.Reader, cmd *exec.Cmd, stderr *bytes.Buffer) string {
	t.Helper()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if _, addr, ok := strings.Cut(sc.Text(), "läuft auf http://"); ok {
				found <- strings.TrimSpace(addr)
				return
			}
		}
		close(found)
	}()
	select {
	case addr, ok := <-found:
		if !ok {
			t.Fatalf("the server did not start: %s", stderr.String())
		}
		return addr
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the server did not start within 30 s: %s", stderr.String())
	}
	return ""
}
