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
	return exitOK
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
