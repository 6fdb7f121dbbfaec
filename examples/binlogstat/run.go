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
		fmt.Fprintf(stderr, "binlogstat: %s (run binlogstat -h for usage)\n", oneLine(err.Error()))
		return exitUsage
	}
	filters, posRange, err := buildFilters(c)
	if err != nil {
		fmt.Fprintf(stderr, "binlogstat: %s (run binlogstat -h for usage)\n", oneLine(err.Error()))
		return exitUsage
	}

	if err := c.keys.Load(); err != nil {
		var ue *cli.UsageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "binlogstat: %s (run binlogstat -h for usage)\n", oneLine(err.Error()))
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
			fmt.Fprintf(stderr, "binlogstat: %s (run binlogstat -h for usage)\n", oneLine(err.Error()))
			return exitUsage
		}
		fmt.Fprintf(stderr, "binlogstat: %s\n", oneLine(err.Error()))
		return exitBadInput
	}
	defer sch.Close()

	src, closeSrc := cli.OpenSource(c.files, stdin)
	c.keys.Apply(src)
	defer closeSrc()
	r := binlog.NewReader(src, binlog.WithChecksumVerification(!c.noVerify))
	prog := newProgress(c, stderr)
	st := newCollector(c)
	st.schema = sch
	st.filtered = len(c.databases)+len(c.tables)+len(c.exclude) > 0

	if err := collect(ctx, r, st, filters, posRange, prog); err != nil {
		prog.Clear()
		if errors.Is(err, context.Canceled) {
			err = errors.New("interrupted")
		}
		fmt.Fprintf(stderr, "binlogstat: %s\n", oneLine(cli.KeyHint(err).Error()))
		return exitBadInput
	}
	prog.Clear()
	rep := st.report(c.loc)

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
		err = writeText(w, rep, c.loc)
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
	return exitOK
}

// collect streams r's transactions through the filters into st.
func collect(ctx context.Context, r *binlog.Reader, st *collector, filters binlog.Filter, posRange *binlog.PositionRange, prog *cli.Progress) error {
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
				if posRange != nil && posRange.Done() {
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

// buildFilters turns the filter flags into one Filter (nil when there are
// none) and returns the position range, whose Done tells when to stop.
func buildFilters(c *config) (binlog.Filter, *binlog.PositionRange, error) {
	fs, pr := cli.RangeFilters(c.startPos, c.stopPos, c.startTime, c.stopTime, c.files)
	if len(c.databases) > 0 {
		f, err := cli.NewDatabaseFilter(c.databases, "--table")
		if err != nil {
			return nil, nil, cli.Usagef("--database: %v", err)
		}
		fs = append(fs, f)
	}
	if len(c.tables) > 0 || len(c.exclude) > 0 {
		f, err := binlog.NewTableFilter(c.tables, c.exclude)
		if err != nil {
			return nil, nil, cli.Usagef("--table/--exclude-table: %v", err)
		}
		// Statements go by the database part of the patterns, so that
		// DDL of other databases is not counted.
		f.Queries = true
		fs = append(fs, f)
	}
	if c.includeGTIDs != "" || c.excludeGTIDs != "" {
		f, err := cli.GTIDFilter(c.includeGTIDs, c.excludeGTIDs)
		if err != nil {
			return nil, nil, err
		}
		fs = append(fs, f)
	}
	return cli.All(fs), pr, nil
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
