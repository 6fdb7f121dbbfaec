package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"

	"strings"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/mask"
)

// sampleBinlog is dumped when no FILE is given: a small MariaDB 10.11 binlog
// with GTIDs, annotated rows events, Table_maps, XIDs and a ROTATE.
//
//go:embed testdata/sample.bin
var sampleBinlog []byte

// sampleName is what positions and errors call the embedded sample.
const sampleName = "sample.bin"

// dumper prints events in one output format.
type dumper interface {
	// begin is called once before the first event.
	begin() error
	// event prints one event; ev is valid only during the call.
	event(ev *event.Event) error
	// end is called after the last event of a clean run.
	end() error
}

// runContext is run with a context that interrupts reading.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c, err := parseArgs(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return exitOK
		}
		fmt.Fprintf(stderr, "binlogdump: %s (run binlogdump -h for usage)\n", oneLine(err.Error()))
		return exitUsage
	}
	filters, posRange, err := buildFilters(c)
	if err != nil {
		fmt.Fprintf(stderr, "binlogdump: %s (run binlogdump -h for usage)\n", oneLine(err.Error()))
		return exitUsage
	}
	var masker *mask.Masker
	if c.maskFile != "" {
		if masker, err = loadMask(c.maskFile); err != nil {
			fmt.Fprintf(stderr, "binlogdump: --mask: %s\n", oneLine(err.Error()))
			return exitBadInput
		}
	}

	var out io.Writer = stdout
	var outFile *os.File
	if c.output != "" && c.output != "-" {
		f, err := os.Create(c.output)
		if err != nil {
			fmt.Fprintf(stderr, "binlogdump: %s\n", oneLine(err.Error()))
			return exitBadInput
		}
		outFile = f
		out = f
	}
	w := bufio.NewWriterSize(out, 256<<10)

	var src binlog.Source
	var closeSrc func()
	if c.remote != "" {
		src, closeSrc, err = openRemote(ctx, c)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				err = errors.New("interrupted")
			}
			fmt.Fprintf(stderr, "binlogdump: %s\n", oneLine(err.Error()))
			return exitBadInput
		}
	} else {
		src, closeSrc = openSource(c.files, stdin)
	}
	defer closeSrc()
	r := binlog.NewReader(src, binlog.WithChecksumVerification(!c.noVerify))

	rows := newRowDecoder()
	var d dumper
	if c.json {
		d = newJSONDumper(w, rows)
	} else {
		td := newTextDumper(w, c.loc)
		if c.verbose {
			td.rows = rows
		}
		d = td
	}
	prog := newProgress(c, stderr)

	// fail flushes what was printed so far and reports err as one line.
	fail := func(err error) int {
		prog.clear()
		w.Flush()
		if outFile != nil {
			outFile.Close()
		}
		fmt.Fprintf(stderr, "binlogdump: %s\n", oneLine(err.Error()))
		return exitBadInput
	}

	// The preamble waits for the first event, so that an input that is not a
	// binlog at all prints nothing on stdout.
	begun := false
	begin := func() error {
		if begun {
			return nil
		}
		begun = true
		return d.begin()
	}
	for {
		ev, err := r.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, context.Canceled) {
				if c.stopNever {
					break // the way a --stop-never run ends
				}
				err = errors.New("interrupted")
			}
			return fail(err)
		}
		if c.remote != "" && notInFile(ev) {
			continue
		}
		prog.update(ev)
		if err := rows.observe(ev); err != nil {
			return fail(err)
		}
		if filters != nil && !filters.Keep(ev) {
			if posRange != nil && posRange.Done() {
				break // nothing after the stop position can be kept
			}
			continue
		}
		if masker != nil {
			if ev, err = masker.Apply(ev); err != nil {
				return fail(err)
			}
		}
		if err := begin(); err != nil {
			return fail(writeErr(err))
		}
		if err := d.event(ev); err != nil {
			return fail(writeErr(err))
		}
	}
	prog.clear()
	if err := begin(); err != nil {
		return fail(writeErr(err))
	}
	if err := d.end(); err != nil {
		return fail(writeErr(err))
	}
	if err := w.Flush(); err != nil {
		return fail(writeErr(err))
	}
	if outFile != nil {
		if err := outFile.Close(); err != nil {
			fmt.Fprintf(stderr, "binlogdump: %s\n", oneLine(err.Error()))
			return exitBadInput
		}
	}
	if file, off, n := r.Tail(); n > 0 && !c.quiet {
		fmt.Fprintf(stderr, "# warning: %s: at byte %d: %d trailing bytes ignored (fewer than an event header; the file was probably being written)\n", displayName(file), off, n)
	}
	return exitOK
}

// loadMask reads a --mask rules file.
func loadMask(path string) (*mask.Masker, error) {
	cfg, err := mask.LoadFile(path)
	if err != nil {
		return nil, err
	}
	return mask.New(cfg)
}

// writeErr marks an output error as such.
func writeErr(err error) error { return fmt.Errorf("writing output: %w", err) }

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

// openSource returns the Source for the FILE arguments: the embedded sample
// without any, stdin for a lone "-", else the files in order (where "-" is
// the process's standard input).
func openSource(files []string, stdin io.Reader) (binlog.Source, func()) {
	switch {
	case len(files) == 0:
		s := binlog.NewStreamSource(bytes.NewReader(sampleBinlog), sampleName)
		return s, func() { s.Close() }
	case len(files) == 1 && files[0] == "-":
		s := binlog.NewStreamSource(io.NopCloser(stdin), "stdin")
		return s, func() { s.Close() }
	}
	l := binlog.OpenFiles(files...)
	return l, func() { l.Close() }
}

// buildFilters turns the filter flags into one Filter (nil when there are
// none) and returns the position range, whose Done tells when to stop.
func buildFilters(c *config) (binlog.Filter, *binlog.PositionRange, error) {
	var fs []binlog.Filter
	var pr *binlog.PositionRange
	if c.startPos != 0 || c.stopPos != 0 {
		pr = &binlog.PositionRange{Start: c.startPos, Stop: c.stopPos}
		if len(c.files) > 1 {
			pr.StartFile, pr.StopFile = c.files[0], c.files[len(c.files)-1]
		}
		fs = append(fs, pr)
	}
	if !c.startTime.IsZero() || !c.stopTime.IsZero() {
		fs = append(fs, binlog.TimeRange{Start: c.startTime, Stop: c.stopTime})
	}
	if len(c.types) > 0 {
		fs = append(fs, binlog.Types(c.types...))
	}
	if len(c.databases) > 0 {
		f, err := newDatabaseFilter(c.databases)
		if err != nil {
			return nil, nil, usagef("--database: %v", err)
		}
		fs = append(fs, f)
	}
	if len(c.tables) > 0 || len(c.exclude) > 0 {
		f, err := binlog.NewTableFilter(c.tables, c.exclude)
		if err != nil {
			return nil, nil, usagef("--table/--exclude-table: %v", err)
		}
		fs = append(fs, f)
	}
	if c.includeGTIDs != "" || c.excludeGTIDs != "" {
		f, err := gtidFilter(c.includeGTIDs, c.excludeGTIDs)
		if err != nil {
			return nil, nil, err
		}
		fs = append(fs, f)
	}
	switch len(fs) {
	case 0:
		return nil, pr, nil
	case 1:
		return fs[0], pr, nil
	}
	return binlog.All(fs...), pr, nil
}

// gtidFilter builds the filter for --include-gtids and --exclude-gtids: a
// transaction's events (from its GTID event to its commit) are kept when its
// GTID is in include (if given) and not in exclude, as mysqlbinlog does. A
// bad set is a usage error.
func gtidFilter(include, exclude string) (binlog.Filter, error) {
	f := &binlog.GTIDFilter{}
	for _, x := range []struct {
		flag, text string
		dst        **binlog.GTIDSet
	}{{"--include-gtids", include, &f.Include}, {"--exclude-gtids", exclude, &f.Exclude}} {
		if x.text == "" {
			continue
		}
		set, err := binlog.ParseGTIDSet(x.text)
		if err != nil {
			return nil, usagef("%s: %v", x.flag, err)
		}
		*x.dst = set
	}
	return f, nil
}

// databaseFilter is --database: TABLE_MAP and rows events by their table's
// database, QUERY events by their default database (as mysqlbinlog does),
// except BEGIN, COMMIT and ROLLBACK, which frame the kept rows events.
type databaseFilter struct {
	tables   *binlog.TableFilter
	patterns []string
}

func newDatabaseFilter(dbs []string) (*databaseFilter, error) {
	tf, err := binlog.NewTableFilter(dbs, nil)
	if err != nil {
		return nil, err
	}
	for _, db := range dbs {
		if strings.Contains(db, ".") {
			return nil, fmt.Errorf("%q is a table; use --table for db.table patterns", db)
		}
	}
	return &databaseFilter{tables: tf, patterns: dbs}, nil
}

// Keep implements binlog.Filter.
func (f *databaseFilter) Keep(ev *event.Event) bool {
	switch ev.Header.Type {
	case event.QueryEvent, event.MariaQueryCompressedEvent:
		if q, ok := ev.Body.(*event.Query); ok && (q.IsBegin() || q.IsCommit() || q.IsRollback()) {
			return true
		}
		db, ok := querySchema(ev)
		if !ok {
			return true
		}
		for _, p := range f.patterns {
			if m, _ := path.Match(p, string(db)); m {
				return true
			}
		}
		return false
	}
	return f.tables.Keep(ev)
}

// querySchema returns the default database of a QUERY event.
func querySchema(ev *event.Event) (db []byte, ok bool) {
	if q, ok := ev.Body.(*event.Query); ok {
		return q.Schema, true
	}
	return nil, false
}
