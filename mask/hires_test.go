package mask

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
)

// TestHiresPrecision: rows of MariaDB's older temporal formats are masked
// only with their precisions (WithPrecision); without them Apply stops
// naming the table, and with them the masked rows re-encode in the same
// formats (the values a rule does not touch keep their fractions).
func TestHiresPrecision(t *testing.T) {
	cols := []binlogtest.Column{
		{Name: "id", Type: event.ColumnTypeLong},
		{Name: "phone", Type: event.ColumnTypeVarchar, Meta: 40},
		{Name: "t3", Type: event.ColumnTypeTime, Nullable: true, Precision: 3},
		{Name: "d6", Type: event.ColumnTypeDatetime, Nullable: true, Precision: 6},
	}
	rows := [][]rowcodec.Value{
		{rowcodec.IntValue(1), rowcodec.StringValue([]byte("13800138000"), 45), rowcodec.TimeValue(true, 838, 59, 59, 999000, 3), rowcodec.DatetimeValue(2024, 1, 2, 3, 4, 5, 123456, 6)},
		{rowcodec.IntValue(2), rowcodec.StringValue([]byte("13900139000"), 45), rowcodec.TimeValue(false, 1, 2, 3, 4000, 3), rowcodec.DatetimeValue(0, 0, 0, 0, 0, 0, 0, 6)},
	}
	s := binlogtest.NewStream(event.MariaDB)
	s.Begin().TableMap(5, "shop", "u", cols...).Insert(5, rows...).XID()
	data, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseRules([]byte("rules:\n  - column: shop.u.phone\n    action: redact\n"))
	if err != nil {
		t.Fatal(err)
	}
	apply := func(m *Masker) ([]*event.Event, error) {
		r := binlog.NewReader(binlog.NewStreamSource(io.NopCloser(bytes.NewReader(data)), "hires.000001"))
		var out []*event.Event
		for {
			ev, err := r.Next(context.Background())
			if err == io.EOF {
				return out, nil
			}
			if err != nil {
				t.Fatal(err)
			}
			if ev, err = m.Apply(ev); err != nil {
				return out, err
			}
			out = append(out, ev.Clone())
		}
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var pe *rowcodec.PrecisionError
	if _, err := apply(m); !errors.As(err, &pe) || !strings.Contains(err.Error(), "shop.u") {
		t.Fatalf("without precisions: %v", err)
	}
	cat, err := schema.Parse(strings.NewReader("CREATE TABLE shop.u (id INT PRIMARY KEY, phone VARCHAR(40), t3 TIME(3), d6 DATETIME(6));"))
	if err != nil {
		t.Fatal(err)
	}
	m, err = New(cfg, WithPrecision(schema.PrecisionSetter(cat)))
	if err != nil {
		t.Fatal(err)
	}
	evs, err := apply(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		r, ok := ev.Body.(*event.Rows)
		if !ok {
			continue
		}
		tb, err := rowcodec.NewTable(ev.Table)
		if err != nil {
			t.Fatal(err)
		}
		schema.SetPrecisions(tb, mustDef(t, cat))
		after := make([]rowcodec.Value, 4)
		it := tb.Rows(r, nil, after)
		i := 0
		for it.Next() {
			if string(after[1].Bytes()) == string(rows[i][1].Bytes()) {
				t.Errorf("row %d: phone not masked", i+1)
			}
			for _, c := range []int{0, 2, 3} {
				if !after[c].Equal(rows[i][c]) {
					t.Errorf("row %d column %d: %+v, want %+v", i+1, c+1, after[c], rows[i][c])
				}
			}
			i++
		}
		if it.Err() != nil || i != 2 {
			t.Fatalf("%d rows, %v", i, it.Err())
		}
	}
}

func mustDef(t *testing.T, p schema.Provider) *schema.Table {
	t.Helper()
	def, err := p.Table("shop", "u")
	if err != nil || def == nil {
		t.Fatal(err)
	}
	return def
}

// TestHiresRecorded masks every temporal column of the recorded hires
// workload (MariaDB's older temporal formats, from a real server) with the
// precisions from the stream's DDL: every masked row decodes with the same
// precisions, and no temporal value is left as it was.
func TestHiresRecorded(t *testing.T) {
	cat := schema.NewCatalog()
	cfg, err := ParseRules([]byte("key: k\nrules:\n  - type: temporal\n    action: hash\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(cfg, WithPrecision(schema.PrecisionSetter(cat)))
	if err != nil {
		t.Fatal(err)
	}
	r := binlog.NewReader(binlog.OpenFiles("../testdata/recorded/mariadb-10_11-hires.000001", "../testdata/recorded/mariadb-10_11-hires.000002"))
	var plain, masked rowcodec.Tables
	hiresValues := 0
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if q, ok := ev.Body.(*event.Query); ok && q.Statement().Kind == event.StatementDDL {
			if err := cat.ApplyDDL(string(q.Schema), string(q.Query)); err != nil {
				t.Fatal(err)
			}
		}
		rb, ok := ev.Body.(*event.Rows)
		if !ok || string(ev.Table.Table) != "h" {
			if _, err := m.Apply(ev); err != nil {
				t.Fatal(err)
			}
			continue
		}
		pt, err := plain.ForRows(ev)
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.PrecisionSetter(cat)(pt); err != nil {
			t.Fatal(err)
		}
		n := len(pt.Columns)
		pb, pa := make([]rowcodec.Value, n), make([]rowcodec.Value, n)
		var orig [][]rowcodec.Value
		it := pt.Rows(rb, pb, pa)
		for it.Next() {
			for _, img := range [][]rowcodec.Value{it.Before, it.After} {
				if img != nil {
					row := make([]rowcodec.Value, n)
					for i := range img {
						row[i] = img[i].Clone()
					}
					orig = append(orig, row)
				}
			}
		}
		if it.Err() != nil {
			t.Fatal(it.Err())
		}
		mev, err := m.Apply(ev)
		if err != nil {
			t.Fatal(err)
		}
		mt, err := masked.ForRows(mev)
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.PrecisionSetter(cat)(mt); err != nil {
			t.Fatal(err)
		}
		mb, ma := make([]rowcodec.Value, n), make([]rowcodec.Value, n)
		it = mt.Rows(mev.Body.(*event.Rows), mb, ma)
		k := 0
		for it.Next() {
			for _, img := range [][]rowcodec.Value{it.Before, it.After} {
				if img == nil {
					continue
				}
				for i := range img {
					switch pt.Columns[i].Type {
					case event.ColumnTypeTime, event.ColumnTypeDatetime, event.ColumnTypeTimestamp:
					default:
						continue
					}
					o := orig[k][i]
					if o.IsNull() {
						continue
					}
					hiresValues++
					if img[i].Kind() != o.Kind() || img[i].Fsp() != o.Fsp() || img[i].Equal(o) && !zeroTemporal(o) {
						t.Fatalf("%s@%d column %d: %+v masked as %+v", ev.File, ev.Pos, i+1, o, img[i])
					}
				}
				k++
			}
		}
		if it.Err() != nil || k != len(orig) {
			t.Fatalf("%s@%d: %d images of %d, %v", ev.File, ev.Pos, k, len(orig), it.Err())
		}
	}
	if hiresValues < 100 {
		t.Fatalf("only %d hires values masked", hiresValues)
	}
}

// zeroTemporal reports the values a hash may map to themselves by chance
// in tests: none but the zero ones are expected.
func zeroTemporal(v rowcodec.Value) bool {
	return strings.HasPrefix(string(v.AppendTemporal(nil)), "0000-00-00") || strings.HasPrefix(string(v.AppendTemporal(nil)), "00:00:00")
}
