package main

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// change is one row change of a rows event, or one statement.
type change struct {
	ev     *event.Event
	op     int
	ddl    bool
	table  tableName
	t      *rowcodec.Table // nil for a statement
	before []rowcodec.Value
	after  []rowcodec.Value
	query  []byte // the statement, for opQuery
}

// rowDecoder turns events into changes.
type rowDecoder struct {
	tables        rowcodec.Tables
	ix            *index // the precisions of MariaDB's older temporal formats
	before, after []rowcodec.Value
	buf           []byte
}

func newRowDecoder(ix *index) *rowDecoder { return &rowDecoder{ix: ix} }

// changes calls fn for each row change of a rows event and for a statement
// (not BEGIN/COMMIT); other events produce none.
func (d *rowDecoder) changes(ev *event.Event, fn func(c *change) error) error {
	switch b := ev.Body.(type) {
	case *event.Query:
		stmt := b.Statement()
		if isTxControl(stmt) {
			return nil
		}
		return fn(&change{ev: ev, op: opQuery, ddl: stmt.Kind == event.StatementDDL, table: tableName{DB: string(b.Schema)}, query: b.Query})
	case *event.Rows:
		kind := b.Kind()
		if ev.Table == nil || kind == event.RowsNone {
			return nil
		}
		t, err := d.tables.ForRows(ev)
		if err != nil {
			return err
		}
		if d.ix != nil {
			d.ix.setPrecision(t)
		}
		if n := len(t.Columns); len(d.before) < n {
			d.before = make([]rowcodec.Value, n)
			d.after = make([]rowcodec.Value, n)
		}
		c := &change{ev: ev, t: t, table: tableName{string(t.Schema), string(t.Name)}}
		switch kind {
		case event.RowsUpdate:
			c.op = opUpdate
		case event.RowsDelete:
			c.op = opDelete
		default:
			c.op = opInsert
		}
		it := t.Rows(b, d.before, d.after)
		for it.Next() {
			c.before, c.after = it.Before, it.After
			if err := fn(c); err != nil {
				return err
			}
		}
		if err := it.Err(); err != nil {
			return fmt.Errorf("%s:%d: %w", ev.File, ev.Pos, err)
		}
		return nil
	}
	return nil
}

// columnNames returns the table's column names, "@1"… where the Table_map
// did not log them (binlog_row_metadata=MINIMAL).
func columnNames(t *rowcodec.Table) []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		if len(c.Name) > 0 {
			names[i] = string(c.Name)
		} else {
			names[i] = "@" + strconv.Itoa(i+1)
		}
	}
	return names
}

// cell is one value as the API shows it: Text as MySQL prints it ("0x…" hex
// for binary data that is not UTF-8), Null for SQL NULL, Absent for a column
// a MINIMAL row image left out.
type cell struct {
	Text   string
	Null   bool
	Absent bool
}

// appendValueText appends v's text: integers and temporal values as MySQL
// prints them, strings converted to UTF-8, binary values as text when they
// are valid UTF-8 and as 0x… hex otherwise.
func appendValueText(dst []byte, v rowcodec.Value, c *rowcodec.Column) []byte {
	switch v.Kind() {
	case rowcodec.KindNull:
		return append(dst, "NULL"...)
	case rowcodec.KindAbsent:
		return dst
	case rowcodec.KindInt:
		return strconv.AppendInt(dst, v.Int64(), 10)
	case rowcodec.KindUint, rowcodec.KindYear:
		return strconv.AppendUint(dst, v.Uint64(), 10)
	case rowcodec.KindBytes:
		if b := v.Bytes(); utf8.Valid(b) {
			return append(dst, b...)
		}
		return hex.AppendEncode(append(dst, "0x"...), v.Bytes())
	case rowcodec.KindGeometry, rowcodec.KindVector:
		return hex.AppendEncode(append(dst, "0x"...), v.Bytes())
	case rowcodec.KindString:
		if out, ok := v.AppendUTF8(dst); ok {
			return out
		}
		// A charset the Table_map did not log: show UTF-8 as it is.
		if b := v.Bytes(); rowcodec.CharsetName(v.Collation()) == "" && utf8.Valid(b) {
			return append(dst, b...)
		}
		return hex.AppendEncode(append(dst, "0x"...), v.Bytes())
	}
	out, err := v.AppendText(dst, c)
	if err != nil {
		return append(dst, "(undecodable: "+err.Error()+")"...)
	}
	return out
}

// cells renders an image; nil for an image the event does not have.
func (d *rowDecoder) cells(t *rowcodec.Table, vals []rowcodec.Value) []cell {
	if vals == nil {
		return nil
	}
	out := make([]cell, len(vals))
	for i, v := range vals {
		switch v.Kind() {
		case rowcodec.KindNull:
			out[i].Null = true
		case rowcodec.KindAbsent:
			out[i].Absent = true
		default:
			d.buf = appendValueText(d.buf[:0], v, &t.Columns[i])
			out[i].Text = string(d.buf)
		}
	}
	return out
}

// changedColumns lists the columns an UPDATE changed: present in both images
// with different values, or present only in the after image (MINIMAL).
func changedColumns(before, after []rowcodec.Value) []int {
	var out []int
	for i := range min(len(before), len(after)) {
		b, a := before[i], after[i]
		if a.IsAbsent() {
			continue
		}
		if b.IsAbsent() || !b.Equal(a) {
			out = append(out, i)
		}
	}
	return out
}

// containsFold reports whether the lowered needle occurs in hay, ignoring
// ASCII case (and comparing other bytes exactly).
func containsFold(hay, lowNeedle []byte) bool {
	if len(lowNeedle) == 0 {
		return true
	}
	for i := 0; i+len(lowNeedle) <= len(hay); i++ {
		j := 0
		for ; j < len(lowNeedle); j++ {
			c := hay[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != lowNeedle[j] {
				break
			}
		}
		if j == len(lowNeedle) {
			return true
		}
	}
	return false
}

// matchText reports whether a change's values or statement contain q.
func (d *rowDecoder) matchText(c *change, q []byte) bool {
	if c.query != nil {
		return containsFold(c.query, q)
	}
	for _, img := range [2][]rowcodec.Value{c.before, c.after} {
		for i, v := range img {
			if v.IsAbsent() {
				continue
			}
			d.buf = appendValueText(d.buf[:0], v, &c.t.Columns[i])
			if containsFold(d.buf, q) {
				return true
			}
		}
	}
	return false
}

// statementText returns the statement text behind rows events
// (ANNOTATE_ROWS, ROWS_QUERY), nil for other events.
func statementText(ev *event.Event) []byte {
	switch b := ev.Body.(type) {
	case *event.MariaAnnotateRows:
		return b.Query
	case *event.RowsQuery:
		return b.Query
	}
	return nil
}
