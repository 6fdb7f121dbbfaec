package mask

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// mustMasker parses rules and builds a Masker with a fixed test key.
func mustMasker(t testing.TB, rules string) *Masker {
	t.Helper()
	cfg, err := ParseRules([]byte(rules))
	if err != nil {
		t.Fatalf("ParseRules: %v", err)
	}
	m, err := New(cfg, WithKey([]byte("test key")))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

// readAll reads a fabricated binlog and returns every event, cloned, after
// masking with m (nil: unmasked).
func readAll(t testing.TB, data []byte, m *Masker) []*event.Event {
	t.Helper()
	r := binlog.NewReader(binlog.NewStreamSource(io.NopCloser(bytes.NewReader(data)), "test.000001"))
	var out []*event.Event
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if m != nil {
			if ev, err = m.Apply(ev); err != nil {
				t.Fatalf("Apply: %v", err)
			}
		}
		out = append(out, ev.Clone())
	}
}

// decodedRow holds one row change, decoded.
type decodedRow struct {
	table         *rowcodec.Table
	before, after []rowcodec.Value
}

// rowsOf decodes every row of the rows events in evs. It also checks that
// each event's Raw decodes to the same body (the re-encoding is sound).
func rowsOf(t testing.TB, evs []*event.Event) []decodedRow {
	t.Helper()
	var out []decodedRow
	for _, ev := range evs {
		r, ok := ev.Body.(*event.Rows)
		if !ok {
			continue
		}
		if int(ev.Header.EventSize) != len(ev.Raw) {
			t.Fatalf("EventSize %d, Raw %d bytes", ev.Header.EventSize, len(ev.Raw))
		}
		tab, err := rowcodec.NewTable(ev.Table)
		if err != nil {
			t.Fatal(err)
		}
		for off := 0; ; {
			b := make([]rowcodec.Value, len(tab.Columns))
			a := make([]rowcodec.Value, len(tab.Columns))
			next, err := tab.NextRow(r, off, b, a)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("NextRow: %v", err)
			}
			off = next
			d := decodedRow{table: tab}
			if r.Kind() != event.RowsWrite {
				d.before = b
			}
			if r.Kind() != event.RowsDelete {
				d.after = a
			}
			out = append(out, d)
		}
	}
	return out
}

// text returns a value as MySQL prints it.
func text(t testing.TB, d decodedRow, img []rowcodec.Value, i int) string {
	t.Helper()
	b, err := img[i].AppendText(nil, &d.table.Columns[i])
	if err != nil {
		t.Fatalf("AppendText: %v", err)
	}
	if img[i].IsNull() {
		return "NULL"
	}
	return string(b)
}

// oneTable builds a binlog with one INSERT of row into shop.users(cols).
func oneTable(t testing.TB, cols []binlogtest.Column, rows ...[]rowcodec.Value) []byte {
	t.Helper()
	s := binlogtest.NewStream(event.MariaDB)
	s.Begin().TableMap(1, "shop", "users", cols...).Insert(1, rows...).XID()
	data, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// maskOne masks one row of one table and returns its masked after image
// as text.
func maskOne(t testing.TB, rules string, cols []binlogtest.Column, row []rowcodec.Value) []string {
	t.Helper()
	m := mustMasker(t, rules)
	rows := rowsOf(t, readAll(t, oneTable(t, cols, row), m))
	if len(rows) != 1 {
		t.Fatalf("%d rows", len(rows))
	}
	out := make([]string, len(cols))
	for i := range cols {
		out[i] = text(t, rows[0], rows[0].after, i)
	}
	return out
}

func str(s string) rowcodec.Value { return rowcodec.StringValue([]byte(s), 0) }

func varchar(name string, n uint32) binlogtest.Column {
	return binlogtest.Column{Name: name, Type: event.ColumnTypeVarchar, Meta: n, Nullable: true}
}
