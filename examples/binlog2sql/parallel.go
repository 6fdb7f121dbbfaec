package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/schema"
	"github.com/binlogkit/binlogkit/sqlgen"
)

// runParallel is run with --workers: sqlgen.Parallel writes what the
// sequential loop writes, from c.workers goroutines.
func runParallel(ctx context.Context, c *config, schema schema.Provider, src binlog.Source, w *bufio.Writer, stderr io.Writer) int {
	pw := &preambleWriter{w: w, preamble: sqlgen.New(nil, c.opts).Preamble(header(c))}
	err := sqlgen.Parallel(ctx, pw, src, schema, c.opts, binlog.ParallelOptions{Workers: c.workers})
	code := exitOK
	var inc *sqlgen.IncompleteError
	if errors.As(err, &inc) {
		where := fmt.Sprintf("at %d", inc.Start)
		if inc.GTID != "" {
			where += " (gtid " + inc.GTID + ")"
		}
		if c.allowIncomplete {
			w.WriteString("-- The input ends inside the transaction that starts " + where + ": its statements, as comments:\n")
			writeCommented(w, inc.SQL)
			fmt.Fprintf(stderr, "# warning: the input ends inside the transaction that starts %s: written as comments (--allow-incomplete)\n", where)
		} else {
			fmt.Fprintf(stderr, "binlog2sql: the input ends inside the transaction that starts %s: its statements were not written (it may never have committed; --allow-incomplete writes them as comments)\n", where)
			code = exitBadInput
		}
		err = nil
	}
	if ferr := w.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("writing output: %w", ferr)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			err = errors.New("interrupted")
		}
		fmt.Fprintf(stderr, "binlog2sql: %s\n", errLine(err))
		return exitBadInput
	}
	if t, ok := src.(binlog.Tailer); ok && !c.quiet {
		if file, off, n := t.Tail(); n > 0 {
			fmt.Fprintf(stderr, "# warning: %s: at byte %d: %d trailing bytes ignored (fewer than an event header; the file was probably being written)\n", displayName(file), off, n)
		}
	}
	return code
}

// preambleWriter writes the session settings before the first statement,
// as the sequential loop does: an input without any statement writes
// nothing.
type preambleWriter struct {
	w        io.Writer
	preamble []byte
	begun    bool
}

func (p *preambleWriter) Write(b []byte) (int, error) {
	if !p.begun && len(b) > 0 {
		p.begun = true
		if _, err := p.w.Write(p.preamble); err != nil {
			return 0, fmt.Errorf("writing output: %w", err)
		}
	}
	n, err := p.w.Write(b)
	if err != nil {
		err = fmt.Errorf("writing output: %w", err)
	}
	return n, err
}
