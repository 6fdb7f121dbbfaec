package natssink

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/cdc"
)

// BenchmarkSink streams a binlog file (BINLOGKIT_CDC_BENCH_INPUT, default
// the project's MariaDB recording) through a Stream into a new R1 stream
// with file storage on the machine's NATS server.
func BenchmarkSink(b *testing.B) {
	files := []string{"../../testdata/recorded/mariadb-10_11-full.000001", "../../testdata/recorded/mariadb-10_11-full.000002",
		"../../testdata/recorded/mariadb-10_11-full.000003", "../../testdata/recorded/mariadb-10_11-full.000004"}
	if p := os.Getenv("BINLOGKIT_CDC_BENCH_INPUT"); p != "" {
		files = []string{p}
	}
	nc, err := nats.Connect(localNATS, nats.Timeout(2*time.Second))
	if err != nil {
		b.Skipf("no NATS server on %s: %v", localNATS, err)
	}
	defer nc.Close()
	b.ReportAllocs()
	var changes uint64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		name := fmt.Sprintf("B%d", time.Now().UnixNano())
		s, err := New(context.Background(), nc, Config{Stream: name, SubjectPrefix: name})
		if err != nil {
			b.Fatal(err)
		}
		src := binlog.OpenFiles(files...)
		st, err := cdc.NewStream(src, nil, cdc.Config{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		stats, err := cdc.Run(context.Background(), st, s)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		changes = stats.Changes
		s.Close()
		src.Close()
		deleteStream(nc, name)
		b.StartTimer()
	}
	b.ReportMetric(float64(changes)*float64(b.N)/b.Elapsed().Seconds(), "changes/s")
	b.ReportMetric(float64(changes), "changes/op")
}
