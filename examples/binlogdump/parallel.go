package main

import (
	"bufio"
	"context"
	"io"
	"runtime"
	"slices"
	"sync"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// This file prints files on several goroutines: binlog.Parallel cuts the
// input into batches of whole transactions, each worker prints its batches
// into memory with dumpers of its own, and the batches are written in input
// order. The output is byte for byte that of the sequential loop: the only
// state a text dump carries from one event to the next that a batch cannot
// know is the default database of the last "use" line, and the batch leaves
// the place of its first "use" line open for the writer to fill (or not)
// once it knows the database before it; a run of compressed events open at
// the batch's end is closed by the writer too.

// maxAutoWorkers bounds the workers --workers 0 (the default) starts.
const maxAutoWorkers = 4

// workerCount is how many goroutines print the input: --workers, or with
// its default the number of CPUs the process may use, at most
// maxAutoWorkers. It is 1 (the
// sequential loop) for what only that loop does: a live server, standard
// input, the embedded sample, event selection and masking.
func (c *config) workerCount(filtering bool) int {
	if c.remote != "" || len(c.files) == 0 || filtering || c.maskFile != "" {
		return 1
	}
	for _, f := range c.files {
		if f == "-" {
			return 1
		}
	}
	if c.workers == 0 {
		// One writer takes every batch's text in turn: more than a few
		// workers would wait on it, and each holds batches in memory.
		return min(runtime.GOMAXPROCS(0), maxAutoWorkers)
	}
	return c.workers
}

// batchBytes is binlog.ParallelOptions.BatchBytes: half the default, as
// the text of a batch is several times its events and up to 2×workers+2
// batches are in memory at a time (tests make batches of one transaction
// each).
var batchBytes = binlog.DefaultBatchBytes / 2

// batchOut is what a worker printed for one batch.
type batchOut struct {
	text []byte
	// useAt is where in text the "use" line of the batch's first default
	// database goes when the database in use before the batch differs
	// (-1: the batch names none); lastDB is the one in use at its end.
	useAt         int
	useDB, lastDB []byte
	// openPayload reports that text ends inside a run of compressed events.
	openPayload bool
	// pending holds the row images of a statement the batch did not see
	// end; flushAt is where in text the images held from before the batch
	// go (-1: nowhere, they stay held).
	pending []byte
	flushAt int
	// The position after the last event, for the progress line.
	file string
	next uint64
}

// sliceWriter appends what is written to it to b.
type sliceWriter struct{ b []byte }

func (s *sliceWriter) Write(p []byte) (int, error) {
	s.b = append(s.b, p...)
	return len(p), nil
}

// dumpWorker prints batches with dumpers of its own.
type dumpWorker struct {
	out  sliceWriter
	w    *bufio.Writer
	rows *rowDecoder
	text *textDumper // nil with --json
	d    dumper
}

func newDumpWorker(c *config, sch *cli.Schema) *dumpWorker {
	dw := &dumpWorker{rows: newRowDecoder(sch)}
	dw.w = bufio.NewWriterSize(&dw.out, 64<<10)
	if c.json {
		dw.d = newJSONDumper(dw.w, dw.rows)
	} else {
		dw.text = newTextDumper(dw.w, c.sel.Loc)
		if c.verbose {
			dw.text.rows = dw.rows
		}
		dw.d = dw.text
	}
	return dw
}

// run prints batch b into res. An error leaves in res what was printed
// before it, as the sequential loop does.
func (dw *dumpWorker) run(ctx context.Context, b *binlog.Batch, res *batchOut) error {
	dw.out.b = res.text[:0]
	dw.w.Reset(&dw.out)
	res.useAt, res.flushAt = -1, -1
	res.pending = res.pending[:0]
	if td := dw.text; td != nil {
		td.db = td.db[:0]
		td.hold = &heldUse{out: &dw.out, at: -1, flushAt: -1}
		td.inPayload = false
	}
	// The worker's tables stay from batch to batch: a batch starts at a
	// transaction, whose Table_maps update them, and one repeated (as
	// servers log one per transaction) finds its table already built.
	r := b.Reader()
	var err error
	for {
		var ev *event.Event
		if ev, err = r.Next(ctx); err != nil {
			if err == io.EOF {
				err = nil
			}
			break
		}
		res.file, res.next = ev.File, ev.NextPos
		if err = dw.rows.observe(ev); err != nil {
			break
		}
		if err = dw.d.event(ev); err != nil {
			err = outputError(err)
			break
		}
	}
	dw.w.Flush()
	res.text = dw.out.b
	if td := dw.text; td != nil {
		res.openPayload, td.inPayload = td.inPayload, false
		res.pending = append(res.pending, td.pending.Bytes()...)
		td.pending.Reset()
		res.flushAt = td.hold.flushAt
		if h := td.hold; h.at >= 0 {
			res.useAt = h.at
			res.useDB = append(res.useDB[:0], h.db...)
			res.lastDB = append(res.lastDB[:0], td.db...)
		}
		td.hold = nil
	}
	return err
}

// insertion is text a batch's output gets at offset at.
type insertion struct {
	at int
	b  []byte
}

// heldUse is where a batch's first "use" line goes (see textDumper.hold).
type heldUse struct {
	out *sliceWriter // the batch's output, which the textDumper's writer flushes to
	at  int          // byte offset in out; -1 until known
	db  []byte
	// flushAt is the offset where the textDumper first wrote the row images
	// it held for a statement's end (-1: not yet): images held before the
	// batch go there.
	flushAt int
}

// dumpParallel prints the files of src with n workers onto w, through the
// preamble and closing lines of d (which writes to w). It returns what
// the sequential loop's fail would report, or nil.
//
// The workers share sch, the table definitions the stream's DDL changes:
// sch.Barrier applies DDL as batches are cut, or makes a transaction whose
// DDL can change what later batches read a batch of its own, printed alone
// (binlog.ParallelOptions.Barrier), so the definitions every batch reads
// are those in force at its position.
func dumpParallel(ctx context.Context, c *config, n int, src binlog.Source, w *bufio.Writer, d dumper, sch *cli.Schema, prog *cli.Progress) error {
	pool := sync.Pool{New: func() any { return new(batchOut) }}
	begun := false
	var db []byte // the default database of the last "use" line written
	openPayload := false
	var carry []byte // row images held for a statement's end (textDumper.pending)
	popts := binlog.ParallelOptions{
		Workers:       n,
		BatchBytes:    batchBytes,
		ReaderOptions: []binlog.Option{binlog.WithChecksumVerification(!c.noVerify)},
		Barrier:       sch.Barrier,
	}
	err := binlog.Parallel(ctx, src, popts, func() func(context.Context, *binlog.Batch) (*batchOut, error) {
		dw := newDumpWorker(c, sch)
		return func(ctx context.Context, b *binlog.Batch) (*batchOut, error) {
			res := pool.Get().(*batchOut)
			err := dw.run(ctx, b, res)
			return res, err
		}
	}, func(res *batchOut) error {
		defer pool.Put(res)
		if len(res.text) == 0 {
			return nil
		}
		if !begun {
			begun = true
			if err := d.begin(); err != nil {
				return writeErr(err)
			}
		}
		// What the batch could not write itself goes in at its places: the
		// row images of a statement an earlier batch left unfinished, where
		// the batch would first have written held images; the end of a run
		// of compressed events an earlier batch left open, at its first
		// event (after those images, as the sequential loop writes them);
		// and the "use" line of its first database, when the one before
		// differs.
		ins := make([]insertion, 0, 3)
		if len(carry) > 0 && res.flushAt >= 0 {
			ins = append(ins, insertion{res.flushAt, carry})
			carry = nil
		}
		if openPayload {
			ins = append(ins, insertion{0, []byte("# End of compressed events!\n")})
		}
		openPayload = res.openPayload
		if res.useAt >= 0 {
			if string(res.useDB) != string(db) {
				ins = append(ins, insertion{res.useAt, append(rowcodec.AppendIdent([]byte("use "), res.useDB), "/*!*/;\n"...)})
			}
			db = append(db[:0], res.lastDB...)
		}
		slices.SortStableFunc(ins, func(a, b insertion) int { return a.at - b.at })
		text, at := res.text, 0
		for _, in := range ins {
			w.Write(text[at:in.at])
			w.Write(in.b)
			at = in.at
		}
		if _, err := w.Write(text[at:]); err != nil {
			return writeErr(err)
		}
		carry = append(carry, res.pending...)
		prog.At(res.file, res.next)
		return nil
	})
	if err != nil {
		return err
	}
	if !begun {
		if err := d.begin(); err != nil {
			return writeErr(err)
		}
	}
	w.Write(carry)
	if openPayload {
		w.WriteString("# End of compressed events!\n")
	}
	if err := d.end(); err != nil {
		return writeErr(err)
	}
	return nil
}
