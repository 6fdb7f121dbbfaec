package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// rowDecoder turns rows events into values with package rowcodec.
type rowDecoder struct {
	tables        rowcodec.Tables
	before, after []rowcodec.Value
	buf           []byte
}

func newRowDecoder() *rowDecoder { return new(rowDecoder) }

// observe sees every event before filtering, so that a malformed Table_map
// is reported where it is, filtered or not.
func (d *rowDecoder) observe(ev *event.Event) error {
	tm, ok := ev.Body.(*event.TableMap)
	if !ok {
		return nil
	}
	if _, err := d.tables.Update(tm); err != nil {
		return fmt.Errorf("%s: at byte %d (TABLE_MAP_EVENT): %w", ev.File, ev.Pos, err)
	}
	return nil
}

// each calls fn for every row of a rows event, with the before and after
// images (nil when the event has none).
func (d *rowDecoder) each(ev *event.Event, fn func(t *rowcodec.Table, before, after []rowcodec.Value) error) error {
	r, ok := ev.Body.(*event.Rows)
	if !ok {
		return nil
	}
	t, err := d.tables.ForRows(ev)
	if err != nil {
		return err
	}
	n := len(t.Columns)
	if cap(d.before) < n {
		d.before, d.after = make([]rowcodec.Value, n), make([]rowcodec.Value, n)
	}
	var before, after []rowcodec.Value
	switch r.Kind() {
	case event.RowsWrite:
		after = d.after[:n]
	case event.RowsDelete:
		before = d.before[:n]
	default:
		before, after = d.before[:n], d.after[:n]
	}
	it := t.Rows(r, before, after)
	for it.Next() {
		if err := fn(t, it.Before, it.After); err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("%s: at byte %d (%v): %w", ev.File, ev.Pos, ev.Header.Type, err)
	}
	return nil
}

// writeRows prints a rows event's rows as mysqlbinlog -vv does.
func (d *rowDecoder) writeRows(w *bufio.Writer, ev *event.Event) error {
	return d.each(ev, func(t *rowcodec.Table, before, after []rowcodec.Value) error {
		name := t.AppendName(d.buf[:0])
		switch {
		case before == nil:
			fmt.Fprintf(w, "### INSERT INTO %s\n### SET\n", name)
			return d.writeImage(w, t, after)
		case after == nil:
			fmt.Fprintf(w, "### DELETE FROM %s\n### WHERE\n", name)
			return d.writeImage(w, t, before)
		}
		fmt.Fprintf(w, "### UPDATE %s\n### WHERE\n", name)
		if err := d.writeImage(w, t, before); err != nil {
			return err
		}
		w.WriteString("### SET\n")
		return d.writeImage(w, t, after)
	})
}

// writeImage prints one image's present columns as "###   @N=value /* … */".
func (d *rowDecoder) writeImage(w *bufio.Writer, t *rowcodec.Table, vals []rowcodec.Value) error {
	for i, v := range vals {
		if v.IsAbsent() {
			continue // mysqlbinlog prints no line for a column a MINIMAL image left out
		}
		b := strconv.AppendInt(append(d.buf[:0], "###   @"...), int64(i+1), 10)
		b = append(b, '=')
		b, err := v.AppendMySQLBinlog(b, &t.Columns[i])
		if err != nil {
			return err
		}
		d.buf = append(b, '\n')
		w.Write(d.buf)
	}
	return nil
}

// jsonRow is one row in --json output.
type jsonRow struct {
	Before []json.RawMessage `json:"before,omitempty"`
	After  []json.RawMessage `json:"after,omitempty"`
}

// jsonRows returns a rows event's rows for --json.
func (d *rowDecoder) jsonRows(ev *event.Event) ([]jsonRow, error) {
	var rows []jsonRow
	err := d.each(ev, func(t *rowcodec.Table, before, after []rowcodec.Value) error {
		var row jsonRow
		var err error
		if row.Before, err = d.jsonImage(t, before); err != nil {
			return err
		}
		if row.After, err = d.jsonImage(t, after); err != nil {
			return err
		}
		rows = append(rows, row)
		return nil
	})
	return rows, err
}

// jsonImage renders one image: JSON null for SQL NULL, a number for integer
// types, "0x…" lowercase hex for binary values (BINARY, VARBINARY, BLOB,
// BIT, GEOMETRY, VECTOR, and text that does not convert to UTF-8), otherwise
// the value as MySQL prints it, as a string. A column a MINIMAL image left
// out is {"absent":true}, so positions stay those of the table's columns.
func (d *rowDecoder) jsonImage(t *rowcodec.Table, vals []rowcodec.Value) ([]json.RawMessage, error) {
	if vals == nil {
		return nil, nil
	}
	out := make([]json.RawMessage, len(vals))
	for i, v := range vals {
		var b []byte
		switch v.Kind() {
		case rowcodec.KindNull:
			b = []byte("null")
		case rowcodec.KindAbsent:
			b = []byte(`{"absent":true}`)
		case rowcodec.KindInt:
			b = strconv.AppendInt(nil, v.Int64(), 10)
		case rowcodec.KindUint, rowcodec.KindYear:
			b = strconv.AppendUint(nil, v.Uint64(), 10)
		case rowcodec.KindBytes, rowcodec.KindGeometry, rowcodec.KindVector:
			b = appendHexString(nil, v.Bytes())
		case rowcodec.KindBit:
			bits, width := v.Bits()
			var raw [8]byte
			n := (width + 7) / 8
			for j := 0; j < n; j++ {
				raw[n-1-j] = byte(bits >> (8 * j))
			}
			b = appendHexString(nil, raw[:n])
		case rowcodec.KindString:
			text, ok := v.AppendUTF8(d.buf[:0])
			if !ok && rowcodec.CharsetName(v.Collation()) != "" {
				b = appendHexString(nil, v.Bytes())
				break
			}
			d.buf = text
			b = appendJSONString(nil, string(text))
		default:
			text, err := v.AppendText(d.buf[:0], &t.Columns[i])
			if err != nil {
				return nil, err
			}
			d.buf = text
			b = appendJSONString(nil, string(text))
		}
		out[i] = b
	}
	return out, nil
}

func appendHexString(dst, b []byte) []byte {
	dst = append(dst, `"0x`...)
	dst = hex.AppendEncode(dst, b)
	return append(dst, '"')
}
