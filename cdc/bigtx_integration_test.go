//go:build integration

package cdc

import (
	"context"
	"fmt"
	"io"

	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// repeatSource serves a transaction of many rows events without holding
// it: the events of a small template file, with its one rows event
// repeated n times before the commit.
type repeatSource struct {
	events [][]byte // FDE, GTID, BEGIN, TABLE_MAP, ROWS, XID
	rows   int      // index of the rows event
	n      int      // repeats
	i, k   int
}

func (s *repeatSource) ReadEvent(ctx context.Context) ([]byte, error) {
	if s.i == s.rows && s.k < s.n {
		s.k++
		return s.events[s.rows], nil
	}
	if s.i == s.rows {
		s.i++
	}
	if s.i >= len(s.events) {
		return nil, io.EOF
	}
	ev := s.events[s.i]
	if s.i != s.rows {
		s.i++
	}
	return ev, nil
}

// TestIntegrationHugeTransaction streams a transaction of 10,000,000 rows
// (10,000 rows events of 1,000 rows, 320 MB of row images) with a 16 MiB
// memory budget: the transaction goes to a temporary file, every row is
// delivered, and the peak heap stays within the budget plus a fixed
// margin, however large the transaction.
func TestIntegrationHugeTransaction(t *testing.T) {
	const perEvent, events = 1000, 10000
	s := binlogtest.NewStream(event.MariaDB)
	s.Begin().TableMap(7, "big", "t",
		binlogtest.Column{Name: "id", Type: event.ColumnTypeLong},
		binlogtest.Column{Name: "v", Type: event.ColumnTypeLongLong},
		binlogtest.Column{Name: "s", Type: event.ColumnTypeVarchar, Meta: 40})
	rows := make([][]rowcodec.Value, perEvent)
	for i := range rows {
		rows[i] = []rowcodec.Value{rowcodec.IntValue(int64(i)), rowcodec.IntValue(int64(i) * 3), rowcodec.StringValue([]byte(fmt.Sprintf("row-%015d", i)), 45)}
	}
	s.Insert(7, rows...).XID()
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	src := &repeatSource{n: events}
	ss := binlog.NewStreamSource(bytesReader(b), "big.000001")
	for {
		ev, err := ss.ReadEvent(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h, _ := event.ParseHeader(ev); h.Type.IsRows() {
			src.rows = len(src.events)
		}
		src.events = append(src.events, append([]byte(nil), ev...))
	}
	rowsBytes := len(src.events[src.rows]) * events

	const budget = 16 << 20
	st, err := NewStream(src, nil, Config{MaxTxMemory: budget, TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	var n, sum int64
	commits := 0
	for c, err := range st.All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if c.Op == OpCommit {
			commits++
			continue
		}
		n++
		sum += c.After[1].Int64()
	}
	close(stop)
	<-done
	el := time.Since(start)
	growth := int64(peak.Load()) - int64(base)
	t.Logf("%d rows (%d MB of rows events) in %v (%.0f rows/s); spilled to %d temporary file(s); heap %d MiB before, peak %d MiB (+%d MiB) with a %d MiB budget",
		n, rowsBytes>>20, el.Round(time.Millisecond), float64(n)/el.Seconds(), st.spool.files, base>>20, peak.Load()>>20, growth>>20, budget>>20)
	if n != perEvent*events || commits != 1 {
		t.Fatalf("%d rows, %d commits; want %d rows in one transaction", n, commits, perEvent*events)
	}
	if want := int64(events) * 3 * (perEvent - 1) * perEvent / 2; sum != want {
		t.Errorf("sum %d, want %d", sum, want)
	}
	if st.spool.files == 0 {
		t.Error("the transaction did not go to a temporary file")
	}
	if growth > 2*budget+8<<20 {
		t.Errorf("heap grew by %d MiB for a %d MiB budget", growth>>20, budget>>20)
	}
}

func bytesReader(b []byte) io.Reader { return &byteReader{b: b} }

type byteReader struct{ b []byte }

func (r *byteReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}
