package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sync"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/flashback"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
	"github.com/binlogkit/binlogkit/sqlgen"
)

// flashbackConfig holds the --flashback flags.
type flashbackConfig struct {
	on             bool
	chunkRows      int
	oneTransaction bool
	skipUnsafe     bool
	requireKey     bool
	tmpDir         string
	budgetMB       int64
}

func addFlashbackFlags(fs *flag.FlagSet, c *flashbackConfig) {
	fs.BoolVar(&c.on, "flashback", false, "write the rollback SQL instead: the inverse of every committed change, last transaction first, rows in reverse, one BEGIN…COMMIT per original transaction; a summary goes to stderr")
	cli.Alias(fs, "flashback", "B")
	fs.IntVar(&c.chunkRows, "chunk-rows", 0, "with --flashback: commit every `n` rows instead of once per original transaction")
	fs.BoolVar(&c.oneTransaction, "one-transaction", false, "with --flashback: the whole rollback in one transaction")
	fs.BoolVar(&c.skipUnsafe, "skip-unsafe", false, "with --flashback: leave out (and list) transactions that cannot be undone (DDL, statement-format DML, MINIMAL/NOBLOB images) instead of stopping")
	fs.BoolVar(&c.requireKey, "key-only", false, "with --flashback: refuse tables whose Table_map logs no primary key")
	fs.StringVar(&c.tmpDir, "tmpdir", "", "with --flashback: `dir` for the spill file (default: the system temp dir)")
	fs.Int64Var(&c.budgetMB, "memory-budget", 256, "with --flashback: memory budget in `MB`")
}

// runFlashback is --flashback: the filtered input, inverted, as SQL.
//
// With readers > 1 (no event filters: every transaction of src is read),
// the transactions are inverted on that many goroutines
// (flashback.AddParallel), the same rollback; with workers > 1 its SQL is
// written so (flashback.SQLOptions.Workers), the same SQL. The stream's DDL is then
// followed in stream order by a cli.Schema's barrier, as binlogdump's
// workers do; the precisions an inversion asks for are read under its lock.
func runFlashback(ctx context.Context, c *config, prov schema.Provider, filters binlog.Filter, src binlog.Source, readers, workers int, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		if errors.Is(err, context.Canceled) {
			err = errors.New("interrupted")
		}
		msg := oneLine(cli.KeyHint(err).Error())
		if errors.Is(err, flashback.ErrUnsafe) {
			msg += " (--skip-unsafe leaves such transactions out of the rollback and lists them)"
		}
		fmt.Fprintf(stderr, "binlog2sql: %s\n", msg)
		return exitBadInput
	}
	precision := schema.PrecisionSetter(prov)
	var popts binlog.ParallelOptions
	if readers > 1 {
		popts.Workers = readers
		if ss, ok := prov.(*streamSchema); ok {
			sch := cli.NewStreamSchema(ss, nil)
			popts.Barrier = sch.Barrier
			popts.ReaderOptions = append(popts.ReaderOptions, binlog.WithFilters(sch.ObserveFilter()))
			precision = sch.SetPrecision
		} else {
			// Definitions from a file or a server: nothing changes them.
			var mu sync.Mutex
			set := precision
			precision = func(t *rowcodec.Table) error {
				mu.Lock()
				defer mu.Unlock()
				return set(t)
			}
		}
	}
	fb, err := flashback.New(flashback.Options{
		TempDir:      c.fb.tmpDir,
		MemoryBudget: c.fb.budgetMB << 20,
		SkipUnsafe:   c.fb.skipUnsafe,
		RequireKey:   c.fb.requireKey,
		Tables:       c.sel.TableFilter(),
		Precision:    precision,
	})
	if err != nil {
		return fail(err)
	}
	defer fb.Close()
	// Without --schema, --schema-dsn or a live server, the tables are
	// learnt from the input's DDL before the range and in it (as in forward
	// mode): the CREATE TABLE of a table says which of its columns are
	// generated, and the precisions of MariaDB's older temporal formats.
	// DDL after the range is not applied: the rows are those of the
	// definitions of their time (cli.TrackDDL). Those other sources, taken
	// now, hold what the input's DDL did.
	var opts []binlog.Option
	if ss, ok := prov.(*streamSchema); ok && readers <= 1 {
		opts = append(opts, binlog.WithFilters(cli.TrackDDL(ss, filters)))
	} else if filters != nil {
		opts = append(opts, binlog.WithFilters(filters))
	}
	// --sql-type names the changes to undo (binlog2sql's meaning): a DELETE
	// undone by an INSERT is chosen with --sql-type DELETE. The generator
	// then writes every kind of their inverses.
	if f := c.sel.RowKindFilter(); f != nil {
		opts = append(opts, binlog.WithFilters(f))
	}
	gopts := c.opts
	gopts.SQLTypes = 0
	if readers > 1 {
		popts.ReaderOptions = append(popts.ReaderOptions, opts...)
		if err := fb.AddParallel(ctx, src, popts); err != nil {
			return fail(err)
		}
	} else if err := fb.Add(ctx, binlog.NewReader(src, opts...)); err != nil {
		return fail(err)
	}
	if err := c.sel.Err(); err != nil {
		return fail(err)
	}
	if fb.Summary().Transactions == 0 {
		if !c.quiet {
			fb.Summary().Write(stderr)
			c.sel.WriteWarnings(stderr, "# warning: ")
		}
		fmt.Fprintf(stderr, "binlog2sql: nothing to undo in the range: no rollback SQL written\n")
		return exitBadInput
	}
	w := bufio.NewWriterSize(stdout, 256<<10)
	g := sqlgen.New(prov, gopts)
	// Every table is checked before anything is written: a table whose
	// generated columns are unknown stops the run here, not halfway
	// through applying the rollback.
	if err := fb.CheckSQL(g); err != nil {
		return fail(err)
	}
	if fb.Summary().Transactions > 0 {
		w.Write(header(c))
		w.Write(g.Preamble(nil))
		if err := fb.WriteSQL(w, g, flashback.SQLOptions{OneTransaction: c.fb.oneTransaction, ChunkRows: c.fb.chunkRows, NoComments: c.opts.NoComments, Workers: workers}); err != nil {
			w.Flush()
			return fail(err)
		}
	}
	if err := w.Flush(); err != nil {
		return fail(fmt.Errorf("writing output: %w", err))
	}
	if !c.quiet {
		fb.Summary().Write(stderr)
		c.sel.WriteWarnings(stderr, "# warning: ")
	}
	return exitOK
}
