package main

import (
	"bufio"
	"errors"
	"fmt"
	"strconv"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// rowDecoder turns rows events into values with package rowcodec.
type rowDecoder struct {
	tables        rowcodec.Tables
	schema        *cli.Schema // the precisions of MariaDB's older temporal formats
	before, after []rowcodec.Value
	buf           []byte
	line          []byte // the statement line of -v output
}

// newRowDecoder returns a decoder that gives tables the precisions of sch
// (nil: none).
func newRowDecoder(sch *cli.Schema) *rowDecoder { return &rowDecoder{schema: sch} }

// observe sees every event before filtering, so that a malformed Table_map
// is reported where it is, filtered or not, and the table definitions
// follow all the DDL.
func (d *rowDecoder) observe(ev *event.Event) error {
	if d.schema != nil {
		d.schema.Observe(ev)
	}
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
		return rowsError(ev, err)
	}
	if d.schema != nil {
		if err := d.schema.SetPrecision(t); err != nil {
			return rowsError(ev, fmt.Errorf("table definition of %s: %w", t.AppendName(nil), err))
		}
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
			return rowsError(ev, err)
		}
	}
	if err := it.Err(); err != nil {
		return rowsError(ev, err)
	}
	return nil
}

// decodeError is an error in the input found printing an event (its rows
// could not be decoded or shown), as opposed to one writing the output.
type decodeError struct{ err error }

func (e *decodeError) Error() string { return e.err.Error() }
func (e *decodeError) Unwrap() error { return e.err }

// rowsError names the file, byte offset and event type of the rows event ev
// in err.
func rowsError(ev *event.Event, err error) error {
	return &decodeError{fmt.Errorf("%s: at byte %d (%v): %w", ev.File, ev.Pos, ev.Header.Type, err)}
}

// outputError marks err, returned by a dumper's event, as an output error
// unless it is a decodeError.
func outputError(err error) error {
	var de *decodeError
	if errors.As(err, &de) {
		return err
	}
	return writeErr(err)
}

// writeRows prints a rows event's rows as mysqlbinlog -vv does (MariaDB's
// mariadb-binlog -vv for a MariaDB binlog).
func (d *rowDecoder) writeRows(w *bufio.Writer, ev *event.Event) error {
	f := event.MySQL
	if ev.Format != nil {
		f = ev.Format.Flavor()
	}
	return d.each(ev, func(t *rowcodec.Table, before, after []rowcodec.Value) error {
		l := append(d.line[:0], "### "...)
		switch {
		case before == nil:
			l = append(l, "INSERT INTO "...)
		case after == nil:
			l = append(l, "DELETE FROM "...)
		default:
			l = append(l, "UPDATE "...)
		}
		l = t.AppendName(l)
		if before == nil {
			l = append(l, "\n### SET\n"...)
		} else {
			l = append(l, "\n### WHERE\n"...)
		}
		d.line = l
		w.Write(l)
		switch {
		case before == nil:
			return d.writeImage(w, t, after, f)
		case after == nil:
			return d.writeImage(w, t, before, f)
		}
		if err := d.writeImage(w, t, before, f); err != nil {
			return err
		}
		w.WriteString("### SET\n")
		return d.writeImage(w, t, after, f)
	})
}

// colPrefixes[i] is "###   @N=" for column i (N = i+1) of the first 256
// columns: the start of each -v value line.
var colPrefixes = func() []string {
	p := make([]string, 256)
	for i := range p {
		p[i] = "###   @" + strconv.Itoa(i+1) + "="
	}
	return p
}()

// writeImage prints one image's present columns as "###   @N=value /* … */".
func (d *rowDecoder) writeImage(w *bufio.Writer, t *rowcodec.Table, vals []rowcodec.Value, f event.Flavor) error {
	// The image's lines are written at once: one copy into w, not one
	// per column.
	b := d.buf[:0]
	for i, v := range vals {
		if v.IsAbsent() {
			continue // mysqlbinlog prints no line for a column a MINIMAL image left out
		}
		done := len(b)
		if i < len(colPrefixes) {
			b = append(b, colPrefixes[i]...)
		} else {
			b = strconv.AppendInt(append(b, "###   @"...), int64(i+1), 10)
			b = append(b, '=')
		}
		var err error
		if b, err = v.AppendMySQLBinlog(b, &t.Columns[i], f); err != nil {
			d.buf = b
			w.Write(b[:done]) // the lines before the failing column, as before
			return err
		}
		b = append(b, '\n')
	}
	d.buf = b
	w.Write(b)
	return nil
}

// appendRowsJSON appends a rows event's rows for --json:
// [{"before":[…],"after":[…]},…], each image an array of the table's
// columns in order, every value as rowcodec.Value.AppendJSON writes it (see
// -h), and {"absent":true} for a column a MINIMAL image left out, so that
// positions stay those of the table's columns.
func (d *rowDecoder) appendRowsJSON(b []byte, ev *event.Event) ([]byte, error) {
	b = append(b, '[')
	first := true
	err := d.each(ev, func(t *rowcodec.Table, before, after []rowcodec.Value) error {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '{')
		var err error
		if before != nil {
			b = append(b, `"before":`...)
			if b, err = appendImageJSON(b, t, before); err != nil {
				return err
			}
		}
		if after != nil {
			if before != nil {
				b = append(b, ',')
			}
			b = append(b, `"after":`...)
			if b, err = appendImageJSON(b, t, after); err != nil {
				return err
			}
		}
		b = append(b, '}')
		return nil
	})
	return append(b, ']'), err
}

// appendImageJSON appends one image as a JSON array.
func appendImageJSON(b []byte, t *rowcodec.Table, vals []rowcodec.Value) ([]byte, error) {
	b = append(b, '[')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		if v.IsAbsent() {
			b = append(b, `{"absent":true}`...)
			continue
		}
		var err error
		if b, err = v.AppendJSON(b, &t.Columns[i]); err != nil {
			return b, fmt.Errorf("column %d of %s: %w", i+1, t.AppendName(nil), err)
		}
	}
	return append(b, ']'), nil
}
