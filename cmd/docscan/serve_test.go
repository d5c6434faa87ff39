package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"docscan/pipeline"
	"docscan/scan"
	"docscan/server"
)

// gatedProc holds each scan until the test opens the gate.
type gatedProc struct{ started, gate chan struct{} }

func (p *gatedProc) Process(ctx context.Context, req pipeline.Request) *scan.Result {
	p.started <- struct{}{}
	<-p.gate
	return &scan.Result{Records: []scan.Record{}, TimingsMS: map[string]float64{"total": 1}}
}
func (p *gatedProc) Close() error { return nil }

func gatedPool(p *gatedProc) func() (scanPool, error) {
	return func() (scanPool, error) {
		return pipeline.NewPool(pipeline.PoolOptions{Workers: 1, NewProcessor: func() (pipeline.Processor, error) { return p, nil }})
	}
}

// serveInBackground runs runServe until the returned cancel; it waits for the
// address and readiness.
func serveInBackground(t *testing.T, c serveConfig, newPool func() (scanPool, error), client *http.Client, scheme string) (string, context.CancelFunc, chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	go func() { done <- runServe(ctx, c, log, newPool, func(a string) { addrc <- a }) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("runServe: %v", err)
	}
	url := scheme + "://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := client.Get(url + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return url, cancel, done
}

func TestServeRefusesPublicWithoutTokens(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0", "example.com:80"} {
		code, _, errOut := runCLI(t, "", "serve", "--addr", addr)
		if code != exitUsage || !strings.Contains(errOut, "--tokens is required") {
			t.Errorf("--addr %s: exit %d %q", addr, code, errOut)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:8080", "[::1]:0"} {
		if !isLoopback(addr) {
			t.Errorf("%s: not loopback", addr)
		}
	}
	if code, _, _ := runCLI(t, "", "serve", "--tls-cert", "x.pem"); code != exitUsage {
		t.Errorf("cert without key: exit %d", code)
	}
	if code, out, _ := runCLI(t, "s3cret\n", "serve", "--hash-token"); code != 0 || strings.TrimSpace(out) != server.HashToken("s3cret") {
		t.Errorf("--hash-token: %d %q", code, out)
	}
}

func TestServeGracefulShutdown(t *testing.T) {
	p := &gatedProc{started: make(chan struct{}, 4), gate: make(chan struct{})}
	url, cancel, done := serveInBackground(t, serveConfig{addr: "127.0.0.1:0", shutdownTimeout: 20 * time.Second, timeout: 20 * time.Second},
		gatedPool(p), http.DefaultClient, "http")
	img := sampleJPEG(t)
	status := make(chan int, 1)
	go func() {
		res, err := http.Post(url+"/v1/scan", "image/jpeg", bytes.NewReader(img))
		if err != nil {
			t.Error(err)
			status <- 0
			return
		}
		res.Body.Close()
		status <- res.StatusCode
	}()
	<-p.started
	cancel() // SIGTERM
	time.Sleep(200 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("returned with a request in flight: %v", err)
	default:
	}
	// New connections are refused while the request in flight finishes.
	if res, err := http.Get(url + "/healthz"); err == nil {
		res.Body.Close()
		t.Errorf("new request served during shutdown: %d", res.StatusCode)
	}
	close(p.gate)
	if s := <-status; s != 200 {
		t.Errorf("in-flight request: %d, want 200", s)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("runServe: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("shutdown did not finish")
	}
}

func sampleJPEG(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/samples/plate_de_1.jpg")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeCert makes a certificate signed by parent (self-signed when nil) and
// writes cert and key as PEM.
func writeCert(t *testing.T, dir, name string, isCA bool, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, IsCA: isCA, BasicConstraintsValid: true,
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	kb, _ := x509.MarshalECPrivateKey(key)
	os.WriteFile(filepath.Join(dir, name+".pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(filepath.Join(dir, name+".key"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return cert, key
}

func TestServeMTLSAndTokens(t *testing.T) {
	dir := t.TempDir()
	ca, caKey := writeCert(t, dir, "ca", true, nil, nil)
	writeCert(t, dir, "server", false, ca, caKey)
	writeCert(t, dir, "client", false, ca, caKey)
	os.WriteFile(filepath.Join(dir, "tokens"), []byte(server.HashToken("tok")+" test\n"), 0o600)
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	clientCert, err := tls.LoadX509KeyPair(filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key"))
	if err != nil {
		t.Fatal(err)
	}
	withCert := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{clientCert}}}}
	p := &gatedProc{started: make(chan struct{}, 4), gate: make(chan struct{})}
	close(p.gate)
	c := serveConfig{addr: "127.0.0.1:0", shutdownTimeout: 5 * time.Second, timeout: 5 * time.Second,
		certFile: filepath.Join(dir, "server.pem"), keyFile: filepath.Join(dir, "server.key"),
		clientCA: filepath.Join(dir, "ca.pem"), tokensFile: filepath.Join(dir, "tokens")}
	url, cancel, done := serveInBackground(t, c, gatedPool(p), withCert, "https")
	defer func() { cancel(); <-done }()

	noCert := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	if res, err := noCert.Get(url + "/healthz"); err == nil {
		res.Body.Close()
		t.Errorf("client without certificate served: %d", res.StatusCode)
	}
	if res, err := http.Get(strings.Replace(url, "https", "http", 1) + "/healthz"); err == nil && res.StatusCode == 200 {
		t.Error("plain HTTP served")
	}
	req, _ := http.NewRequest("POST", url+"/v1/scan", bytes.NewReader(sampleJPEG(t)))
	req.Header.Set("Content-Type", "image/jpeg")
	res, err := withCert.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("no token over mTLS: %d", res.StatusCode)
	}
	req, _ = http.NewRequest("POST", url+"/v1/scan", bytes.NewReader(sampleJPEG(t)))
	req.Header.Set("Content-Type", "image/jpeg")
	req.Header.Set("Authorization", "Bearer tok")
	res, err = withCert.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("token over mTLS: %d", res.StatusCode)
	}
}

func TestServeModelLoadFailure(t *testing.T) {
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	done := make(chan error, 1)
	go func() {
		done <- runServe(context.Background(), serveConfig{addr: "127.0.0.1:0", shutdownTimeout: time.Second}, log,
			func() (scanPool, error) { return nil, errors.New("no models") }, nil)
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "no models") {
			t.Errorf("runServe: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runServe hangs when the models fail to load")
	}
}
