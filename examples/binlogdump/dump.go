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

	"strings"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
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
		fmt.Fprintln(stderr, cli.UsageLine("binlogdump", err))
		return exitUsage
	}
	if err := c.keys.Load(); err != nil {
		return reportKeysErr(stderr, err)
	}
	// Table definitions, for the precisions of MariaDB's older temporal
	// formats: --schema, --schema-dsn, or the stream's own DDL.
	var warn io.Writer = stderr
	if c.quiet {
		warn = nil
	}
	sch, err := cli.OpenSchema(ctx, c.schemaFile, c.schemaDSN, warn)
	if err != nil {
		return reportKeysErr(stderr, err)
	}
	defer sch.Close()
	var masker *mask.Masker
	if c.maskFile != "" {
		if masker, err = loadMask(c.maskFile, sch); err != nil {
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
		if src, closeSrc, err = openSource(c, stdin); err != nil {
			return reportKeysErr(stderr, err)
		}
		c.keys.Apply(src)
	}
	defer closeSrc()
	filters := c.sel.Filter(typeFilter(c.types), c.sel.OnlyDMLFilter())
	r := binlog.NewReader(src, binlog.WithChecksumVerification(!c.noVerify))

	rows := newRowDecoder(sch)
	var d dumper
	if c.json {
		d = newJSONDumper(w, rows)
	} else {
		td := newTextDumper(w, c.sel.Loc)
		td.header = "# binlogdump: times are " + cli.ZoneName(c.sel.Loc) + "\n"
		if c.verbose {
			td.rows = rows
		}
		d = td
	}
	prog := newProgress(c, stderr)
	if n := c.workerCount(filters != nil); n > 1 {
		err := dumpParallel(ctx, c, n, src, w, d, sch, prog)
		prog.Clear()
		if err != nil {
			if errors.Is(err, context.Canceled) {
				err = errors.New("interrupted")
			}
			w.Flush()
			if outFile != nil {
				outFile.Close()
			}
			fmt.Fprintf(stderr, "binlogdump: %s\n", oneLine(cli.KeyHint(err).Error()))
			return exitBadInput
		}
		return finish(c, w, outFile, src, stderr)
	}

	// fail flushes what was printed so far and reports err as one line.
	fail := func(err error) int {
		prog.Clear()
		w.Flush()
		if outFile != nil {
			outFile.Close()
		}
		fmt.Fprintf(stderr, "binlogdump: %s\n", oneLine(cli.KeyHint(err).Error()))
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
	stopped := false // a --stop-never run was interrupted
	for {
		ev, err := r.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, context.Canceled) {
				if c.stopNever {
					stopped = true
					break // the way a --stop-never run ends
				}
				err = errors.New("interrupted")
			}
			return fail(err)
		}
		if c.remote != "" && notInFile(ev) {
			continue
		}
		prog.Update(ev)
		if err := rows.observe(ev); err != nil {
			return fail(err)
		}
		if filters != nil && !filters.Keep(ev) {
			if c.sel.Done() {
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
			return fail(outputError(err))
		}
	}
	prog.Clear()
	// A --stop-never run ends when interrupted, not at the end of its
	// input: only a position found wrong on the way is an error then.
	if err := c.sel.Err(); err != nil && (!stopped || c.sel.Done()) {
		return fail(err)
	}
	if err := begin(); err != nil {
		return fail(writeErr(err))
	}
	if err := d.end(); err != nil {
		return fail(writeErr(err))
	}
	return finish(c, w, outFile, src, stderr)
}

// finish flushes the output and closes --output after a clean run, then
// warns of trailing bytes and of selection flags that selected nothing.
func finish(c *config, w *bufio.Writer, outFile *os.File, src binlog.Source, stderr io.Writer) int {
	if err := w.Flush(); err != nil {
		if outFile != nil {
			outFile.Close()
		}
		fmt.Fprintf(stderr, "binlogdump: %s\n", oneLine(writeErr(err).Error()))
		return exitBadInput
	}
	if outFile != nil {
		if err := outFile.Close(); err != nil {
			fmt.Fprintf(stderr, "binlogdump: %s\n", oneLine(err.Error()))
			return exitBadInput
		}
	}
	if t, ok := src.(binlog.Tailer); ok && !c.quiet {
		if file, off, n := t.Tail(); n > 0 {
			fmt.Fprintf(stderr, "# warning: %s: at byte %d: %d trailing bytes ignored (fewer than an event header; the file was probably being written)\n", displayName(file), off, n)
		}
	}
	if !c.quiet {
		c.sel.WriteWarnings(stderr, "# warning: ")
	}
	return exitOK
}

// reportKeysErr reports an error of the key flags or of opening the
// files: bad usage, or a file that cannot be read.
func reportKeysErr(stderr io.Writer, err error) int {
	var ue *cli.UsageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, cli.UsageLine("binlogdump", err))
		return exitUsage
	}
	fmt.Fprintf(stderr, "binlogdump: %s\n", oneLine(err.Error()))
	return exitBadInput
}

// loadMask reads a --mask rules file; sch gives the precisions of MariaDB's
// older temporal formats.
func loadMask(path string, sch *cli.Schema) (*mask.Masker, error) {
	cfg, err := mask.LoadFile(path)
	if err != nil {
		return nil, err
	}
	return mask.New(cfg, mask.WithPrecision(sch.SetPrecision))
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
// without any, else the files from --start-file to --stop-file (stdin for a
// lone "-"; "-" among others is the process's standard input).
func openSource(c *config, stdin io.Reader) (binlog.Source, func(), error) {
	if len(c.files) == 0 {
		s := binlog.NewStreamSource(bytes.NewReader(sampleBinlog), sampleName)
		return s, func() { s.Close() }, nil
	}
	return c.sel.Open(c.files, stdin)
}

// typeFilter is --type (nil without it).
func typeFilter(types []event.Type) binlog.Filter {
	if len(types) == 0 {
		return nil
	}
	return binlog.Types(types...)
}

// progressMin is the input size above which a progress line is shown.
const progressMin = 64 << 20

// newProgress returns the progress line for c's files (none with --quiet).
func newProgress(c *config, stderr io.Writer) *cli.Progress {
	if c.quiet {
		return &cli.Progress{}
	}
	return cli.NewProgress(stderr, "binlogdump", progressMin, c.files)
}
