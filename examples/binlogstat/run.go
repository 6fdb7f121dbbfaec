package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
)

// runContext is run with a context that interrupts reading.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c, err := parseArgs(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return exitOK
		}
		fmt.Fprintln(stderr, cli.UsageLine("binlogstat", err))
		return exitUsage
	}

	if err := c.keys.Load(); err != nil {
		var ue *cli.UsageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, cli.UsageLine("binlogstat", err))
			return exitUsage
		}
		fmt.Fprintf(stderr, "binlogstat: %s\n", oneLine(err.Error()))
		return exitBadInput
	}
	// Table definitions, for the precisions of MariaDB's older temporal
	// formats (rows are counted by walking their images): --schema,
	// --schema-dsn, or the stream's own DDL.
	var warn io.Writer = stderr
	if c.quiet {
		warn = nil
	}
	sch, err := cli.OpenSchema(ctx, c.schemaFile, c.schemaDSN, warn)
	if err != nil {
		var ue *cli.UsageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, cli.UsageLine("binlogstat", err))
			return exitUsage
		}
		fmt.Fprintf(stderr, "binlogstat: %s\n", oneLine(err.Error()))
		return exitBadInput
	}
	defer sch.Close()

	src, closeSrc, err := c.sel.Open(c.files, stdin)
	if err != nil {
		var ue *cli.UsageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, cli.UsageLine("binlogstat", err))
			return exitUsage
		}
		fmt.Fprintf(stderr, "binlogstat: %s\n", oneLine(err.Error()))
		return exitBadInput
	}
	c.keys.Apply(src)
	defer closeSrc()
	r := binlog.NewReader(src, binlog.WithChecksumVerification(!c.noVerify))
	prog := newProgress(c, stderr)
	st := newCollector(c)
	st.schema = sch
	st.filtered = c.sel.Filtered()
	filters := c.sel.Filter(c.sel.OnlyDMLFilter())

	err = collect(ctx, r, st, filters, &c.sel, prog)
	if err == nil {
		err = c.sel.Err()
	}
	if err != nil {
		prog.Clear()
		if errors.Is(err, context.Canceled) {
			err = errors.New("interrupted")
		}
		fmt.Fprintf(stderr, "binlogstat: %s\n", oneLine(cli.KeyHint(err).Error()))
		return exitBadInput
	}
	prog.Clear()
	rep := st.report(c.sel.Loc)

	var out io.Writer = stdout
	var outFile *os.File
	if c.output != "" && c.output != "-" {
		f, err := os.Create(c.output)
		if err != nil {
			fmt.Fprintf(stderr, "binlogstat: %s\n", oneLine(err.Error()))
			return exitBadInput
		}
		outFile = f
		out = f
	}
	w := bufio.NewWriterSize(out, 64<<10)
	if c.json {
		err = writeJSON(w, rep)
	} else {
		err = writeText(w, rep, c.sel.Loc)
	}
	if err == nil {
		err = w.Flush()
	}
	if outFile != nil {
		if cerr := outFile.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "binlogstat: writing output: %s\n", oneLine(err.Error()))
		return exitBadInput
	}
	if file, off, n := r.Tail(); n > 0 && !c.quiet {
		fmt.Fprintf(stderr, "# warning: %s: at byte %d: %d trailing bytes ignored (fewer than an event header; the file was probably being written)\n", displayName(file), off, n)
	}
	if !c.quiet {
		c.sel.WriteWarnings(stderr, "# warning: ")
	}
	return exitOK
}

// collect streams r's transactions through the filters into st.
func collect(ctx context.Context, r *binlog.Reader, st *collector, filters binlog.Filter, sel *cli.Selection, prog *cli.Progress) error {
	for tx, err := range r.Transactions(ctx) {
		if err != nil {
			return err
		}
		st.beginTx(tx)
		done := false
		for ev, err := range tx.Events() {
			if err != nil {
				return err
			}
			prog.Update(ev)
			if err := st.observe(ev); err != nil {
				return err
			}
			if filters != nil && !filters.Keep(ev) {
				if sel.Done() {
					done = true // nothing after the stop position can be kept
					break
				}
				continue
			}
			if err := st.event(ev); err != nil {
				return err
			}
		}
		st.endTx(tx)
		if done {
			break
		}
	}
	return nil
}

// oneLine keeps a message on one line.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

func displayName(file string) string {
	if file == "" {
		return "input"
	}
	return file
}

// progressMin is the input size above which a progress line is shown.
const progressMin = 64 << 20

// newProgress returns the progress line for c's files (none with --quiet).
func newProgress(c *config, stderr io.Writer) *cli.Progress {
	if c.quiet {
		return &cli.Progress{}
	}
	return cli.NewProgress(stderr, "binlogstat", progressMin, c.files)
}
