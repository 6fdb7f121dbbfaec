package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// bigBinlog writes a binlog of n transactions, each inserting one row into
// one of 20 tables, one second apart.
func bigBinlog(b testing.TB, n int) string {
	b.Helper()
	s := binlogtest.NewStream(event.MariaDB)
	cols := []binlogtest.Column{{Name: "id", Type: event.ColumnTypeLong}, {Name: "payload", Type: event.ColumnTypeVarchar, Meta: 400}}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	pad := make([]byte, 100)
	for i := range pad {
		pad[i] = 'a' + byte(i%26)
	}
	for i := range n {
		id := uint64(100 + i%20)
		s.SetTime(base.Add(time.Duration(i)*time.Second)).Begin().TableMap(id, "bench", fmt.Sprintf("t%02d", i%20), cols...).
			Insert(id, []rowcodec.Value{rowcodec.IntValue(int64(i)), rowcodec.StringValue(pad, 45)}).XID()
	}
	data, err := s.Bytes()
	if err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(b.TempDir(), "big-bin.000001")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkIndex measures the indexing pass (per transaction) and reports the
// index's bytes per transaction.
func BenchmarkIndex(b *testing.B) {
	p := bigBinlog(b, 100000)
	files, err := expandInputs([]string{p})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(files[0].Size)
	b.ResetTimer()
	var ix *index
	for range b.N {
		if ix != nil {
			ix.close()
		}
		if ix, err = buildIndex(context.Background(), files, nil, nil, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(ix.memBytes())/float64(len(ix.txs)), "index-B/tx")
	ix.close()
}

// BenchmarkLastPage measures a request for the last page of a table filter,
// which reads 50 transactions' summaries from the index.
func BenchmarkLastPage(b *testing.B) {
	ts, ix := newTestServer(b, "", bigBinlog(b, 100000))
	last := (len(ix.txs)/20 + 49) / 50
	url := fmt.Sprintf("%s/api/transactions?table=bench.t07&page=%d&size=50", ts.URL, last)
	b.ResetTimer()
	for range b.N {
		res, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
}

// BenchmarkDetail measures opening one transaction near the end of the file.
func BenchmarkDetail(b *testing.B) {
	ts, ix := newTestServer(b, "", bigBinlog(b, 100000))
	url := fmt.Sprintf("%s/api/transactions/%d", ts.URL, len(ix.txs)-10)
	b.ResetTimer()
	for range b.N {
		res, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
}
