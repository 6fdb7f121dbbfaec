package main

import (
	"bufio"

	"github.com/binlogkit/binlogkit/event"
)

// jsonDumper prints one JSON object per event per line, as
// event.Event.AppendJSON writes it, with the decoded rows of a rows event
// added as "rows".
type jsonDumper struct {
	w    *bufio.Writer
	buf  []byte
	rows *rowDecoder
}

func newJSONDumper(w *bufio.Writer, rows *rowDecoder) *jsonDumper {
	return &jsonDumper{w: w, rows: rows}
}

func (d *jsonDumper) begin() error { return nil }
func (d *jsonDumper) end() error   { return nil }

func (d *jsonDumper) event(ev *event.Event) error {
	b := ev.AppendJSON(d.buf[:0])
	if _, ok := ev.Body.(*event.Rows); ok && d.rows != nil {
		var err error
		b = append(b[:len(b)-1], `,"rows":`...) // the rows go inside the event's object
		if b, err = d.rows.appendRowsJSON(b, ev); err != nil {
			d.buf = b
			return err
		}
		b = append(b, '}')
	}
	b = append(b, '\n')
	d.buf = b
	_, err := d.w.Write(b)
	return err
}
