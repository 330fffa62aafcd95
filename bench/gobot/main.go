// The SIP benchmark's lean bot (bench/sip.sh --bot go): the same wire behaviour as
// dev.switchboard.bench.SipBot (202 to each notification, POST /reject {"reason":"busy"} for every
// incoming call, GET /stats with the same counters), in a few goroutines instead of a second JVM.
//
// Why it exists: everything in the benchmark shares the machine's two cores, and a bot is not part
// of what is measured (a real one runs on its own machine). The Java bot spends about 0.6 ms of CPU
// per call; this one about 0.46 ms (docs/performance.md), which leaves a little more to the server.
// Like SipBot it does not verify the notification JWT, only that a Bearer token is present.
//
//	gobot --base-url http://127.0.0.1:18080 --bench-port 18081 --tenant T --app A --secret S
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

type notifications struct {
	Value []struct {
		ChangeType   string `json:"changeType"`
		ResourceData struct {
			ID    string `json:"id"`
			State string `json:"state"`
		} `json:"resourceData"`
	} `json:"value"`
}

type bot struct {
	baseURL string
	token   string
	client  *http.Client
	mu      sync.Mutex
	counts  map[string]int64
}

func main() {
	baseURL := flag.String("base-url", "http://127.0.0.1:18080", "the server")
	port := flag.Int("bench-port", 18081, "where the callback listens")
	tenant := flag.String("tenant", "", "tenant id")
	app := flag.String("app", "", "app (client) id")
	secret := flag.String("secret", "", "client secret")
	readyTimeout := flag.Duration("ready-timeout", 60*time.Second, "how long to wait for /readyz")
	flag.Parse()

	b := &bot{baseURL: *baseURL, counts: map[string]int64{}, client: &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext},
	}}
	if err := b.awaitReady(*readyTimeout); err != nil {
		log.Fatal(err)
	}
	token, err := b.fetchToken(*tenant, *app, *secret)
	if err != nil {
		log.Fatal(err)
	}
	b.token = token

	mux := http.NewServeMux()
	mux.HandleFunc("/bot/", b.notification)
	mux.HandleFunc("/stats", b.stats)
	addr := fmt.Sprintf("127.0.0.1:%d", *port)
	fmt.Printf("bot listening on %s, rejecting busy against %s\n", addr, *baseURL)
	log.Fatal(http.ListenAndServe(addr, mux))
}

func (b *bot) awaitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		r, err := b.client.Get(b.baseURL + "/readyz")
		if err == nil {
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s/readyz not ready in %v", b.baseURL, limit)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (b *bot) fetchToken(tenant, app, secret string) (string, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {app}, "client_secret": {secret},
		"scope": {b.baseURL + "/.default"}}
	r, err := b.client.PostForm(b.baseURL+"/"+tenant+"/oauth2/v2.0/token", form)
	if err != nil {
		return "", err
	}
	defer r.Body.Close()
	var t struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(r.Body).Decode(&t); err != nil || r.StatusCode != http.StatusOK || t.AccessToken == "" {
		return "", fmt.Errorf("token for %s -> %d %v", app, r.StatusCode, err)
	}
	return t.AccessToken, nil
}

func (b *bot) notification(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		b.count("notification without bearer")
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var body notifications
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		b.count("notification unreadable")
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusAccepted)
	for _, n := range body.Value {
		what := n.ChangeType
		if what == "created" {
			what += " " + n.ResourceData.State
		}
		b.count(what)
		if n.ChangeType == "created" && n.ResourceData.State == "incoming" {
			go b.reject(n.ResourceData.ID)
		}
	}
}

func (b *bot) reject(callID string) {
	req, _ := http.NewRequest(http.MethodPost, b.baseURL+"/v1.0/communications/calls/"+callID+"/reject",
		bytes.NewReader([]byte(`{"reason":"busy"}`)))
	req.Header.Set("Authorization", "Bearer "+b.token)
	req.Header.Set("Content-Type", "application/json")
	r, err := b.client.Do(req)
	if err != nil {
		b.count("reject error")
		fmt.Fprintf(os.Stderr, "reject of %s failed: %v\n", callID, err)
		return
	}
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if n := b.count(fmt.Sprintf("reject %d", r.StatusCode)); r.StatusCode != http.StatusAccepted && n <= 5 {
		fmt.Fprintf(os.Stderr, "reject of %s -> %d %s\n", callID, r.StatusCode, body)
	}
}

func (b *bot) stats(w http.ResponseWriter, _ *http.Request) {
	b.mu.Lock()
	out, _ := json.Marshal(b.counts) // encoding/json sorts map keys, as SipBot's TreeMap does
	b.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Write(out)
}

func (b *bot) count(what string) int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.counts[what]++
	return b.counts[what]
}
