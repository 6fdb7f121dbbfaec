package binlog

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// payloadBinlog fabricates a MySQL 8.0 binlog of n compressed transactions:
// ANONYMOUS_GTID, then a TRANSACTION_PAYLOAD (zstd) holding BEGIN, TABLE_MAP,
// WRITE_ROWS and XID, as binlog_transaction_compression=ON writes them.
func payloadBinlog(t testing.TB, n int) []byte {
	t.Helper()
	fd := event.NewFormatDescription("8.0.40", event.ChecksumCRC32)
	inner := event.NewFormatDescription("8.0.40", event.ChecksumOff)
	h := event.Header{Timestamp: 1763721000, ServerID: 1}
	var innerEvents []byte
	tm := &event.TableMap{TableID: 42, Schema: []byte("shop"), Table: []byte("t"), ColumnCount: 2,
		ColumnTypes: []byte{byte(event.ColumnTypeLong), byte(event.ColumnTypeLong)}, NullBitmap: []byte{0}}
	for _, b := range []event.Body{
		&event.Query{Schema: []byte("shop"), Query: []byte("BEGIN")},
		tm,
		&event.Rows{Type: event.WriteRowsEventV2, TableID: 42, Flags: event.RowsFlagStmtEnd, ColumnCount: 2,
			ColumnsAfter: []byte{3}, Data: bytes.Repeat([]byte{0, 1, 0, 0, 0, 2, 0, 0, 0}, 50)},
		&event.XID{XID: 7},
	} {
		var err error
		if innerEvents, err = event.Append(innerEvents, h, b, inner); err != nil {
			t.Fatal(err)
		}
	}
	p, err := event.NewTransactionPayload(innerEvents, event.PayloadCompressionZSTD)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	err = w.WriteBody(h, fd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		w.WriteBody(h, &event.GTID{Type: event.AnonymousGTIDEvent, LogicalClockType: event.LogicalClockTypecode, LastCommitted: int64(i), SequenceNumber: int64(i + 1)})
		if err := w.WriteBody(h, p); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// TestPayloadTransactions reads compressed transactions: inner events come
// after their payload with its position, table maps inside are registered,
// the XID inside ends the transaction, and nothing allocates once warm.
func TestPayloadTransactions(t *testing.T) {
	data := payloadBinlog(t, 1000)
	path := filepath.Join(t.TempDir(), "bin.000001")
	os.WriteFile(path, data, 0o644)

	src, _ := OpenFile(path)
	r := NewReader(src)
	n, complete := 0, 0
	for tx, err := range r.Transactions(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		var types []event.Type
		for ev, err := range tx.Events() {
			if err != nil {
				t.Fatal(err)
			}
			types = append(types, ev.Header.Type)
			if rows, ok := ev.Body.(*event.Rows); ok && (ev.Table == nil || string(ev.Table.Table) != "t" || !ev.InPayload || rows.TableID != 42) {
				t.Fatalf("rows event at %d+%d: table %v", ev.Pos, ev.PayloadOffset, ev.Table)
			}
		}
		if tx.Transactional {
			n++
			if tx.Complete && tx.XID == 7 && len(types) == 6 {
				complete++
			}
		}
	}
	src.Close()
	if n != 1000 || complete != 1000 {
		t.Fatalf("%d transactions, %d complete with 6 events and XID 7; want 1000", n, complete)
	}

	if raceEnabled {
		return // allocation counts are not meaningful under the race detector
	}
	src, _ = OpenFile(path)
	defer src.Close()
	r = NewReader(src)
	ctx := context.Background()
	runtime.GC() // before warming up: a GC empties the zstd decoder's pools
	for i := 0; i < 100; i++ {
		r.Next(ctx)
	}
	var before, after runtime.MemStats
	// No GC while counting: a collection empties sync.Pools (the zstd
	// decoder keeps its tables in them) and refilling them would be counted
	// against the Reader.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	runtime.ReadMemStats(&before)
	const events = 5000
	for i := 0; i < events; i++ {
		if _, err := r.Next(ctx); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	// The count is the process's, and klauspost's stream decoder now and
	// then allocates inside itself when the machine is busy (seen: 6 over
	// 600 events with every package's tests running at once); the Reader's
	// own path allocates nothing (TestNextDoesNotAllocateRecorded). Allow
	// less than one allocation per hundred events: far from one per event.
	if m := after.Mallocs - before.Mallocs; m*100 >= events {
		t.Errorf("%d allocations over %d events of compressed transactions", m, events)
	} else if m > 0 {
		t.Logf("%d allocation(s) in the process over %d events", m, events)
	}
}
