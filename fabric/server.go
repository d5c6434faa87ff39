package fabric

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// ServerOptions configure an embedded NATS server with JetStream.
type ServerOptions struct {
	// Name of the server; unique within a cluster (default: a generated one).
	Name string
	// Listen is the client address, host:port ("" : 127.0.0.1 on a free
	// port; port -1 also picks a free one).
	Listen string
	// StoreDir is JetStream's directory. The docscan streams are memory
	// streams; the server keeps only its own metadata there.
	StoreDir string
	// Cluster, when set, makes the server a member of the named cluster:
	// ClusterListen is its route address and Routes its peers' route URLs
	// (nats://host:port).
	Cluster       string
	ClusterListen string
	Routes        []string
	// Logs to stderr when true (the server is silent otherwise).
	Logs bool
}

// StartServer starts an embedded server and waits until it accepts clients.
// The caller owns it: Shutdown and WaitForShutdown end it.
func StartServer(o ServerOptions) (*server.Server, error) {
	opts := &server.Options{
		ServerName: o.Name, JetStream: true, StoreDir: o.StoreDir, NoSigs: true, NoLog: !o.Logs,
		Host: "127.0.0.1", Port: -1,
	}
	if o.Listen != "" {
		host, port, err := splitHostPort(o.Listen)
		if err != nil {
			return nil, fmt.Errorf("nats listen address: %w", err)
		}
		opts.Host, opts.Port = host, port
	}
	if o.Cluster != "" {
		host, port, err := splitHostPort(o.ClusterListen)
		if err != nil {
			return nil, fmt.Errorf("nats cluster address: %w", err)
		}
		// Routes carry JPEG bytes, which do not compress: no compression.
		opts.Cluster = server.ClusterOpts{Name: o.Cluster, Host: host, Port: port,
			Compression: server.CompressionOpts{Mode: server.CompressionOff}}
		for _, r := range o.Routes {
			u, err := url.Parse(r)
			if err != nil {
				return nil, fmt.Errorf("route %q: %w", r, err)
			}
			opts.Routes = append(opts.Routes, u)
		}
	}
	// The server starts its listeners in the background and, silent, does
	// not say when one fails: it would only not be ready after 30 s. A
	// port already taken is refused here, at once, with the reason.
	if err := portFree(opts.Host, opts.Port); err != nil {
		return nil, fmt.Errorf("nats listen address: %w", err)
	}
	if o.Cluster != "" {
		if err := portFree(opts.Cluster.Host, opts.Cluster.Port); err != nil {
			return nil, fmt.Errorf("nats cluster address: %w", err)
		}
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("nats server: %w", err)
	}
	if o.Logs {
		s.ConfigureLogger()
	}
	go s.Start()
	if !s.ReadyForConnections(30 * time.Second) {
		s.Shutdown()
		return nil, fmt.Errorf("nats server: not ready after 30 s")
	}
	return s, nil
}

// portFree reports whether host:port can be listened on now (a port of 0 or
// -1 is picked free by the server and always passes).
func portFree(host string, port int) error {
	if port <= 0 {
		return nil
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return err
	}
	return l.Close()
}

func splitHostPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, fmt.Errorf("port %q: %w", p, err)
	}
	return host, port, nil
}
