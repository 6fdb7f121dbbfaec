package flashback

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// writeBigBinlog writes a MariaDB binlog of small transactions (one 8 KB
// WRITE_ROWS each) totalling about smallMB, then one transaction of about
// bigMB of 8 KB UPDATE_ROWS events. It returns the number of rows.
func writeBigBinlog(t testing.TB, path string, smallMB, bigMB int) (rows int) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	fd := event.NewFormatDescription("10.11.6-MariaDB-log", event.ChecksumCRC32)
	w := binlog.NewWriter(bw)
	err = w.WriteBody(event.Header{Timestamp: 1, ServerID: 1}, fd)
	if err != nil {
		t.Fatal(err)
	}
	tm := &event.TableMap{TableID: 5, Schema: []byte("db"), Table: []byte("t"), ColumnCount: 2,
		ColumnTypes: []byte{3, 3}, Metadata: []byte{}, NullBitmap: []byte{0}}
	tbl, err := rowcodec.NewTable(tm)
	if err != nil {
		t.Fatal(err)
	}
	h := event.Header{Timestamp: 2, ServerID: 1}
	write := func(b event.Body) {
		if err := w.WriteBody(h, b); err != nil {
			t.Fatal(err)
		}
	}
	const perEvent = 900 // rows of 9 bytes: about 8 KB
	var data []byte
	var vals [2]rowcodec.Value
	rowsEvent := func(typ event.Type, id int, stmtEnd bool) {
		r := &event.Rows{Type: typ, TableID: 5, ColumnCount: 2, ColumnsBefore: []byte{3}, ColumnsAfter: []byte{3}}
		if typ == event.WriteRowsEventV1 {
			r.ColumnsBefore = nil
		}
		if stmtEnd {
			r.Flags = event.RowsFlagStmtEnd
		}
		data = data[:0]
		n := perEvent
		if typ == event.UpdateRowsEventV1 {
			n /= 2
		}
		for i := range n {
			vals[0], vals[1] = rowcodec.IntValue(int64(id*perEvent+i)), rowcodec.IntValue(int64(i))
			data, _ = tbl.AppendRow(data, nil, vals[:])
			if typ == event.UpdateRowsEventV1 {
				vals[1] = rowcodec.IntValue(int64(-i))
				data, _ = tbl.AppendRow(data, nil, vals[:])
			}
		}
		rows += n
		r.Data = data
		write(r)
	}
	seq := uint64(0)
	for id := 0; w.Pos() < uint64(smallMB)<<20; id++ {
		seq++
		write(&event.MariaGTID{SeqNo: seq})
		write(tm)
		rowsEvent(event.WriteRowsEventV1, id, true)
		write(&event.XID{XID: seq})
	}
	seq++
	write(&event.MariaGTID{SeqNo: seq})
	limit := w.Pos() + uint64(bigMB)<<20
	for id := 0; w.Pos() < limit; id++ {
		write(tm)
		rowsEvent(event.UpdateRowsEventV1, id, id%10 == 9)
	}
	write(&event.XID{XID: seq})
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// peakHeap samples HeapInuse until stop is called and returns the peak.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// TestBoundedMemory flashes back a 40 MB binlog holding a 20 MB transaction
// with a 4 MB budget and checks the heap never grows past a small bound:
// the input is not held in memory, nor is the big transaction.
func TestBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 40 MB")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "big-bin.000001")
	if p := os.Getenv("FLASHBACK_BIG_BINLOG"); p != "" {
		in = p // keep the input, e.g. to measure the command's RSS
	}
	wantRows := writeBigBinlog(t, in, 20, 20)
	st, _ := os.Stat(in)
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	stop := peakHeap()
	start := time.Now()
	const budget = 4 << 20
	fb, err := New(Options{TempDir: dir, MemoryBudget: budget})
	if err != nil {
		t.Fatal(err)
	}
	defer fb.Close()
	src := binlog.OpenFiles(in)
	defer src.Close()
	if err := fb.Add(context.Background(), binlog.NewReader(src)); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "rollback.bin")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := fb.WriteBinlog(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	elapsed := time.Since(start)
	peak := stop()
	mb := float64(st.Size()) / (1 << 20)
	t.Logf("input %.1f MB (one transaction of 20 MB), budget %d MB: peak HeapInuse %.1f MB (%.1f MB before), %.1f MB/s",
		mb, budget>>20, float64(peak)/(1<<20), float64(base.HeapInuse)/(1<<20), mb/elapsed.Seconds())
	if peak > base.HeapInuse+budget {
		t.Errorf("peak heap %d grew by more than the %d budget over %d", peak, budget, base.HeapInuse)
	}
	// The rollback holds every row, with checksums that verify.
	r := binlog.NewReader(binlog.OpenFiles(out), binlog.WithChecksumVerification(true))
	var tbl rowcodec.Table
	rows, txs := 0, 0
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		switch b := ev.Body.(type) {
		case *event.Rows:
			if err := tbl.Reset(ev.Table); err != nil {
				t.Fatal(err)
			}
			it := tbl.Rows(b, nil, nil)
			for it.Next() {
				rows++
			}
			if it.Err() != nil {
				t.Fatal(it.Err())
			}
		case *event.XID:
			txs++
		}
	}
	if rows != wantRows || txs != fb.Summary().Transactions {
		t.Errorf("rollback has %d rows in %d transactions, want %d rows in %d", rows, txs, wantRows, fb.Summary().Transactions)
	}
}
