//go:build integration

package natssink

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startCluster starts three JetStream servers on loopback, routed to each
// other, and returns them once the cluster has a meta leader.
func startCluster(t *testing.T) []*server.Server {
	ports := []int{freePort(t), freePort(t), freePort(t)}
	var routes []*url.URL
	for _, p := range ports {
		routes = append(routes, &url.URL{Scheme: "nats", Host: fmt.Sprintf("127.0.0.1:%d", p)})
	}
	var srvs []*server.Server
	for i := range ports {
		opts := &server.Options{
			ServerName: fmt.Sprintf("n%d", i), Host: "127.0.0.1", Port: -1,
			JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true,
			Cluster: server.ClusterOpts{Name: "cdc-test", Host: "127.0.0.1", Port: ports[i]},
			Routes:  routes,
		}
		s, err := server.NewServer(opts)
		if err != nil {
			t.Fatal(err)
		}
		go s.Start()
		if !s.ReadyForConnections(10 * time.Second) {
			t.Fatalf("server %d did not start", i)
		}
		srvs = append(srvs, s)
		t.Cleanup(s.Shutdown)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok := true
		for _, s := range srvs {
			if !s.JetStreamIsClustered() || s.JetStreamIsLeader() == false && !hasLeader(s) {
				ok = false
			}
		}
		if ok {
			return srvs
		}
		if time.Now().After(deadline) {
			t.Fatal("the cluster has no JetStream meta leader")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func hasLeader(s *server.Server) bool {
	js := s.JetStreamIsLeader()
	if js {
		return true
	}
	// A follower knows the leader once the meta group formed.
	return s.JetStreamIsCurrent()
}

// TestIntegrationCluster publishes 30,000 changes into an R3 stream of a
// three-node JetStream cluster and kills the stream's leader while
// publishing: the sink retries through the election, and in the end the
// stream holds every change once, in order per table, and the checkpoint
// after the last.
func TestIntegrationCluster(t *testing.T) {
	srvs := startCluster(t)
	var urls []string
	for _, s := range srvs {
		urls = append(urls, s.ClientURL())
	}
	nc, err := nats.Connect(strings.Join(urls, ","), nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	ctx := context.Background()
	name := "CLUSTER"
	var sink *Sink
	deadline := time.Now().Add(30 * time.Second)
	for {
		sink, err = New(ctx, nc, Config{Stream: name, SubjectPrefix: name, Replicas: 3, Window: 512, AckTimeout: 2 * time.Second, KeyHeader: true})
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	js, _ := jetstream.New(nc)
	killed := ""
	start := time.Now()
	publish(t, sink, 0, 30000, func(i int) {
		if i != 10000 {
			return
		}
		st, err := js.Stream(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		info, err := st.Info(ctx)
		if err != nil || info.Cluster == nil {
			t.Fatalf("stream info: %v", err)
		}
		for _, s := range srvs {
			if s.Name() == info.Cluster.Leader {
				killed = s.Name()
				s.Shutdown()
			}
		}
	})
	pub, acked, dups, retries := sink.Stats()
	t.Logf("killed the stream leader %s after 10,000 changes; 30,000 changes published in %v (%d publishes, %d acknowledged, %d duplicates dropped, %d windows published again)",
		killed, time.Since(start).Round(time.Millisecond), pub, acked, dups, retries)
	if killed == "" {
		t.Fatal("no leader was killed")
	}
	// Read back from a survivor.
	for {
		_, err := js.Stream(ctx, name)
		if err == nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	verify(t, nc, sink, name, 30000)
}
