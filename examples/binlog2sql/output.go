package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
)

// maxPending bounds the SQL of one open transaction kept in memory; a
// larger transaction continues in a temporary file until it ends.
const maxPending = 64 << 20

// txOutput writes the generated SQL one whole source transaction at a time,
// so that a transaction the input cuts off is never written as SQL to
// apply. The caller appends to buf and calls boundary after each event the
// generator says ends outside a transaction.
type txOutput struct {
	w         *bufio.Writer
	buf       []byte
	committed int      // buf[:committed] ends at a transaction boundary
	spill     *os.File // the open transaction's start, once it outgrew the limit
	tmpDir    string
	limit     int // 0: maxPending
}

// boundary marks the end of buf as the end of a transaction and writes
// what is complete once enough is buffered.
func (o *txOutput) boundary() error {
	if o.spill != nil {
		// The big transaction ended: its start, then the rest.
		if err := o.copySpill(o.w); err != nil {
			return err
		}
	}
	o.committed = len(o.buf)
	if o.committed >= 64<<10 {
		return o.flushCommitted()
	}
	return nil
}

// pending moves the open transaction's SQL to a temporary file when it is
// too big to keep in memory.
func (o *txOutput) pending() error {
	limit := o.limit
	if limit == 0 {
		limit = maxPending
	}
	if len(o.buf)-o.committed < limit {
		return nil
	}
	if err := o.flushCommitted(); err != nil {
		return err
	}
	if o.spill == nil {
		f, err := os.CreateTemp(o.tmpDir, "binlog2sql-tx-*")
		if err != nil {
			return fmt.Errorf("a transaction of more than %d MiB of SQL needs a temporary file: %w", maxPending>>20, err)
		}
		os.Remove(f.Name()) // gone when closed
		o.spill = f
	}
	if _, err := o.spill.Write(o.buf); err != nil {
		return fmt.Errorf("temporary file: %w", err)
	}
	o.buf = o.buf[:0]
	return nil
}

// flushCommitted writes buf[:committed].
func (o *txOutput) flushCommitted() error {
	if o.committed == 0 {
		return nil
	}
	if _, err := o.w.Write(o.buf[:o.committed]); err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	n := copy(o.buf, o.buf[o.committed:])
	o.buf = o.buf[:n]
	o.committed = 0
	return nil
}

// copySpill writes the spilled start of the open transaction to w and
// drops the file.
func (o *txOutput) copySpill(w io.Writer) error {
	if _, err := o.spill.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, o.spill)
	o.spill.Close()
	o.spill = nil
	if err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	return nil
}

// finish writes what is complete and returns the open transaction's SQL
// (nil when there is none), which the caller must not write as it is.
func (o *txOutput) finish() ([]byte, error) {
	if err := o.flushCommitted(); err != nil {
		return nil, err
	}
	var open bytes.Buffer
	if o.spill != nil {
		if err := o.copySpill(&open); err != nil {
			return nil, err
		}
	}
	open.Write(o.buf)
	o.buf = o.buf[:0]
	return open.Bytes(), nil
}

// writeCommented writes sql with every line made an SQL comment.
func writeCommented(w io.Writer, sql []byte) error {
	for len(sql) > 0 {
		line := sql
		if i := bytes.IndexByte(sql, '\n'); i >= 0 {
			line, sql = sql[:i+1], sql[i+1:]
		} else {
			sql = nil
		}
		if _, err := io.WriteString(w, "-- "); err != nil {
			return err
		}
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return nil
}
