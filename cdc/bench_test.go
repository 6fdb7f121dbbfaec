package cdc

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
)

// BenchmarkStreamJSONLines streams a binlog file through a Stream and the
// JSON lines sink into io.Discard: the pipeline without a network.
// BINLOGKIT_CDC_BENCH_INPUT names the file (default: the project's
// MariaDB recording, 4 files).
func BenchmarkStreamJSONLines(b *testing.B) {
	files := []string{"../testdata/recorded/mariadb-10_11-full.000001", "../testdata/recorded/mariadb-10_11-full.000002",
		"../testdata/recorded/mariadb-10_11-full.000003", "../testdata/recorded/mariadb-10_11-full.000004"}
	if p := os.Getenv("BINLOGKIT_CDC_BENCH_INPUT"); p != "" {
		files = []string{p}
	}
	var size int64
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			b.Skip(err)
		}
		size += fi.Size()
	}
	b.SetBytes(size)
	b.ReportAllocs()
	var changes int
	for i := 0; i < b.N; i++ {
		src := binlog.OpenFiles(files...)
		s, err := NewStream(src, nil, Config{})
		if err != nil {
			b.Fatal(err)
		}
		st, err := Run(context.Background(), s, NewJSONLines(io.Discard, "", &Encoder{Name: "bench"}))
		if err != nil {
			b.Fatal(err)
		}
		changes = int(st.Changes)
		src.Close()
	}
	b.ReportMetric(float64(changes)*float64(b.N)/b.Elapsed().Seconds(), "changes/s")
}
