package fabric

import (
	"net"
	"strings"
	"testing"
	"time"
)

// TestStartServerPortTaken: a client or route port another listener holds
// is refused at once with the reason, not after the 30 s readiness wait.
func TestStartServerPortTaken(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken := l.Addr().String()
	for _, tc := range []struct {
		name string
		o    ServerOptions
		want string
	}{
		{"client", ServerOptions{Listen: taken}, "nats listen address"},
		{"route", ServerOptions{Listen: "127.0.0.1:-1", Cluster: "c", ClusterListen: taken, Routes: []string{"nats://" + taken}}, "nats cluster address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.o.StoreDir = t.TempDir()
			start := time.Now()
			s, err := StartServer(tc.o)
			if err == nil {
				s.Shutdown()
				t.Fatal("started on a taken port")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "in use") {
				t.Errorf("error %q, want %q and the reason (address in use)", err, tc.want)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("refused after %v, want at once", d)
			}
		})
	}
}
