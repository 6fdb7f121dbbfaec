package sqlgen

import (
	"bytes"
	"context"
	"io"
	"sync"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
)

// Parallel writes to w the SQL that a Generator made by New(p, opts)
// writes for the events of src (what AppendEvent appends for each event, in
// order; no Preamble), generating it on popts.Workers goroutines (see
// binlog.Parallel for batches, memory bounds and errors). The output is
// byte for byte the sequential one: each worker has its own Generator, and
// every batch starts at a transaction's GTID event, where a Generator's
// state depends on nothing before it but the format and the schema.
//
// DDL (the statements the Generator tracks and, with Options.DDL, writes)
// is a barrier when p follows DDL (not nil, not a *schema.Metadata)
// or Options.DDL is set: its transaction is handled alone, after every
// earlier batch and before any later one, by a Generator kept for DDL, so
// that the schema changes at the position it changes in the stream and USE
// statements are written as the sequential Generator writes them. A stream
// with DDL every few transactions is therefore generated mostly
// sequentially. popts.Barrier, when set, marks further QUERY events as
// barriers.
//
// The provider p is shared by the workers behind a lock (the *schema.Table
// values it returns must not change afterwards, as every provider of
// package schema guarantees); a *schema.Metadata is cloned for each worker
// instead, since each learns from the Table_maps its own batches carry.
// (The one case where that differs from the sequential output: a stream
// that switches from binlog_row_metadata=FULL to MINIMAL, whose later rows
// the sequential Generator names from Table_maps a worker may not have
// seen.)
//
// Output is written one batch at a time (about popts.BatchBytes of events'
// SQL per Write). When generation fails, the SQL of the failing batch up to
// the failing event is written, then the error returned: the output is what
// a sequential loop writes before the same error. A Write error stops
// everything and is returned.
func Parallel(ctx context.Context, w io.Writer, src binlog.Source, p schema.Provider, opts Options, popts binlog.ParallelOptions) error {
	newSchema := workerSchemas(p)
	ddl := &parGen{g: New(newSchema(), opts)}
	user := popts.Barrier
	// Without a schema that follows DDL and without DDL in the output, a
	// DDL statement changes nothing later statements depend on: no barrier.
	_, meta := p.(*schema.Metadata)
	if p != nil && !meta || opts.DDL {
		popts.Barrier = func(ev *event.Event) bool {
			if q, ok := ev.Body.(*event.Query); ok {
				switch classifyQuery(bytes.TrimSpace(q.Query)) {
				case stmtDDL, stmtDBDDL:
					return true
				}
			}
			return user != nil && user(ev)
		}
	}
	// Output buffers go back to a free list once written.
	free := make(chan []byte, 64)
	return binlog.Parallel(ctx, src, popts, func() func(context.Context, *binlog.Batch) ([]byte, error) {
		own := &parGen{g: New(newSchema(), opts)}
		return func(ctx context.Context, b *binlog.Batch) ([]byte, error) {
			pg := own
			if b.Barrier() {
				// Barrier batches run alone: the DDL Generator is never
				// used by two workers at once.
				pg = ddl
			}
			var out []byte
			select {
			case out = <-free:
			default:
			}
			return pg.run(ctx, b, out)
		}
	}, func(out []byte) error {
		if len(out) > 0 {
			if _, err := w.Write(out); err != nil {
				return err
			}
		}
		select {
		case free <- out[:0]:
		default:
		}
		return nil
	})
}

// parGen is one Generator of Parallel, with the format it last saw.
type parGen struct {
	g  *Generator
	fd *event.FormatDescription
}

// run appends the SQL of batch b's events to out.
func (pg *parGen) run(ctx context.Context, b *binlog.Batch, out []byte) ([]byte, error) {
	if fd := b.Format(); fd != pg.fd {
		// The flavor comes from the format in force: a batch seldom holds
		// its file's FORMAT_DESCRIPTION.
		pg.fd = fd
		if _, err := pg.g.AppendEvent(nil, &event.Event{Body: fd, Format: fd}); err != nil {
			return out, err
		}
	}
	r := b.Reader()
	committed := len(out) // out up to the end of the last whole transaction
	var file string
	for {
		ev, err := r.Next(ctx)
		if err == io.EOF {
			if start, gtid, open := pg.g.OpenTransaction(); open {
				// Batches end where transactions end: only the input's
				// end can cut one.
				return out[:committed], &IncompleteError{File: file, Start: start, GTID: gtid, SQL: bytes.Clone(out[committed:])}
			}
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if out, err = pg.g.AppendEvent(out, ev); err != nil {
			return out, err
		}
		if !pg.g.InTransaction() {
			committed = len(out)
		} else if file == "" || committed == len(out) {
			file = ev.File
		}
	}
}

// workerSchemas returns the function that gives each Generator of Parallel
// its schema.
func workerSchemas(p schema.Provider) func() schema.Provider {
	switch s := p.(type) {
	case nil:
		return func() schema.Provider { return nil }
	case *schema.Metadata:
		// Entries change as they are observed: each copy has its own.
		return func() schema.Provider { return s.Clone() }
	}
	l := &lockedSchema{s: p}
	return func() schema.Provider { return l }
}

// lockedSchema serialises the workers' calls to a shared Provider.
type lockedSchema struct {
	mu sync.Mutex
	s  schema.Provider
}

func (l *lockedSchema) Table(db, name string) (*schema.Table, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.s.Table(db, name)
}

func (l *lockedSchema) ApplyDDL(defaultDB, sql string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.s.ApplyDDL(defaultDB, sql)
}

func (l *lockedSchema) Observe(t *rowcodec.Table) {
	if o, ok := l.s.(observer); ok {
		l.mu.Lock()
		defer l.mu.Unlock()
		o.Observe(t)
	}
}
