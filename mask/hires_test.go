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
