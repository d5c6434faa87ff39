package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"docscan/preprocess"
	"docscan/server"
)

func init() { extraCommands["serve"] = cmdServe }

// serveConfig is what runServe needs; cmdServe fills it from the flags.
type serveConfig struct {
	addr                        string
	certFile, keyFile, clientCA string
	tokensFile                  string
	timeout, shutdownTimeout    time.Duration
	readTimeout, headerTimeout  time.Duration
	retryAfter                  time.Duration
	limits                      preprocess.Limits
}

// scanPool is the worker pool as the server uses and closes it.
type scanPool interface {
	server.Scanner
	Close() error
}

// errUsage marks configuration errors (exit 2).
var errUsage = errors.New("usage")

func cmdServe(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var ef engineFlags
	ef.register(fs)
	var c serveConfig
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen address; a non-loopback address needs --tokens")
	fs.StringVar(&c.certFile, "tls-cert", "", "TLS certificate (PEM); with --tls-key the server speaks HTTPS only")
	fs.StringVar(&c.keyFile, "tls-key", "", "TLS private key (PEM)")
	fs.StringVar(&c.clientCA, "client-ca", "", "CA bundle (PEM): require client certificates signed by it (mTLS)")
	fs.StringVar(&c.tokensFile, "tokens", "", "file of accepted bearer tokens as hex SHA-256 hashes, one per line (see --hash-token)")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 30*time.Second, "on SIGTERM, how long requests in flight may take to finish")
	fs.DurationVar(&c.readTimeout, "read-timeout", 60*time.Second, "time to receive a whole request, body included")
	fs.DurationVar(&c.headerTimeout, "read-header-timeout", 10*time.Second, "time to receive the request headers")
	fs.DurationVar(&c.retryAfter, "retry-after", time.Second, "Retry-After sent with 429 and 503")
	hashToken := fs.Bool("hash-token", false, "read a token from stdin, print the line to put in the --tokens file, exit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: docscan serve [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	if *hashToken {
		tok, _ := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
		tok = strings.TrimSpace(tok)
		if tok == "" {
			fmt.Fprintln(stderr, "docscan serve: --hash-token: no token on stdin")
			return exitUsage
		}
		fmt.Fprintln(stdout, server.HashToken(tok))
		return exitOK
	}
	c.limits = ef.limits()
	c.timeout = ef.timeout
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := runServe(ctx, c, log, func() (scanPool, error) { return ef.pool() }, nil)
	switch {
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "docscan serve: %v\n", err)
		return exitUsage
	case err != nil:
		log.Error("serve failed", "error", err.Error())
		return exitFailed
	}
	return exitOK
}

// isLoopback reports whether a listen address only accepts local
// connections ("" and 0.0.0.0 listen on every interface).
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// tlsConfig loads the certificate and, for mTLS, the client CA.
func tlsConfig(c serveConfig) (*tls.Config, error) {
	if c.certFile == "" && c.keyFile == "" {
		if c.clientCA != "" {
			return nil, fmt.Errorf("%w: --client-ca needs --tls-cert and --tls-key", errUsage)
		}
		return nil, nil
	}
	if c.certFile == "" || c.keyFile == "" {
		return nil, fmt.Errorf("%w: --tls-cert and --tls-key go together", errUsage)
	}
	cert, err := tls.LoadX509KeyPair(c.certFile, c.keyFile)
	if err != nil {
		return nil, fmt.Errorf("%w: TLS key pair: %v", errUsage, err)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	if c.clientCA != "" {
		pem, err := os.ReadFile(c.clientCA)
		if err != nil {
			return nil, fmt.Errorf("%w: client CA: %v", errUsage, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: client CA %s: no PEM certificate", errUsage, c.clientCA)
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

// runServe listens at once (/healthz answers, /readyz says 503), loads the
// models in the background, then serves until ctx ends; then it stops
// accepting, lets requests in flight finish within the shutdown timeout and
// closes the pool. listening, when set, learns the bound address.
func runServe(ctx context.Context, c serveConfig, log *slog.Logger, newPool func() (scanPool, error), listening func(addr string)) error {
	var tokens *server.Tokens
	if c.tokensFile != "" {
		var err error
		if tokens, err = server.LoadTokens(c.tokensFile); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	if !isLoopback(c.addr) && tokens == nil {
		return fmt.Errorf("%w: --addr %s is not a loopback address: --tokens is required", errUsage, c.addr)
	}
	tc, err := tlsConfig(c)
	if err != nil {
		return err
	}
	if !isLoopback(c.addr) && tc == nil {
		log.Warn("serving plain HTTP on a non-loopback address: bearer tokens travel in clear text unless a TLS proxy is in front")
	}
	srv := server.New(server.Options{
		Limits: c.limits, Timeout: c.timeout, Tokens: tokens, Logger: log, RetryAfter: c.retryAfter,
		ReadTimeout: c.readTimeout, ReadHeaderTimeout: c.headerTimeout,
	})
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	hs := srv.HTTPServer(c.addr)
	if tc != nil {
		hs.TLSConfig = tc
		ln = tls.NewListener(ln, tc)
	}
	addr := ln.Addr().String()
	log.Info("listening", "addr", addr, "tls", tc != nil, "mtls", tc != nil && tc.ClientCAs != nil, "auth", tokens != nil)
	if listening != nil {
		listening(addr)
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	type loaded struct {
		pool scanPool
		err  error
	}
	poolc := make(chan loaded, 1)
	go func() {
		t0 := time.Now()
		p, err := newPool()
		if err == nil {
			srv.SetScanner(p)
			log.Info("ready", "workers", p.Workers(), "load_ms", time.Since(t0).Milliseconds())
		}
		poolc <- loaded{p, err}
	}()

	var pool scanPool
	var runErr error
	poolDone := false
	select {
	case <-ctx.Done():
		log.Info("shutting down", "deadline_s", c.shutdownTimeout.Seconds())
	case err := <-served:
		runErr = err
	case l := <-poolc:
		pool, runErr, poolDone = l.pool, l.err, true
		if runErr == nil {
			select {
			case <-ctx.Done():
				log.Info("shutting down", "deadline_s", c.shutdownTimeout.Seconds())
			case err := <-served:
				runErr = err
			}
		}
	}
	srv.Drain()
	sctx, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		log.Warn("requests still in flight at the shutdown deadline; closing them", "error", err.Error())
		hs.Close()
	}
	if !poolDone {
		if l := <-poolc; l.err == nil {
			pool = l.pool
		} else if runErr == nil && ctx.Err() == nil {
			runErr = l.err
		}
	}
	if pool != nil {
		if err := pool.Close(); err != nil && runErr == nil {
			runErr = err
		}
	}
	if errors.Is(runErr, http.ErrServerClosed) {
		runErr = nil
	}
	if runErr == nil {
		log.Info("stopped")
	}
	return runErr
}
