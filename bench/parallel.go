package main

import (
	"context"
	"io"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/schema"
	"github.com/binlogkit/binlogkit/sqlgen"
)

// parallelWorkloads are the decode and sql workloads run with
// binlog.Parallel and sqlgen.Parallel on c.workers goroutines (binlogkit
// only: they are compared with the sequential workloads, not go-mysql).
// They are not part of "all": ask for them with -workloads.
func parallelWorkloads(c *config) []workload {
	return []workload{
		{"decode-par", c.kitDecodePar, nil},
		{"sql-par", c.kitSQLPar, nil},
	}
}

// kitDecodePar decodes every row value as kitDecode does, with one
// Table set and value buffers per worker.
func (c *config) kitDecodePar() (result, error) {
	var res result
	src, err := binlog.OpenFile(c.path)
	if err != nil {
		return res, err
	}
	defer src.Close()
	err = binlog.Parallel(context.Background(), src, binlog.ParallelOptions{Workers: c.workers, BatchBytes: c.batchBytes},
		func() func(context.Context, *binlog.Batch) (result, error) {
			var d kitRows
			return func(ctx context.Context, b *binlog.Batch) (result, error) {
				var res result
				r := b.Reader()
				for {
					ev, err := r.Next(ctx)
					if err == io.EOF {
						return res, nil
					} else if err != nil {
						return res, err
					}
					res.events++
					n, err := d.event(ev, false)
					res.rows += n
					if err != nil {
						return res, err
					}
				}
			}
		}, func(r result) error {
			res.events += r.events
			res.rows += r.rows
			return nil
		})
	return res, err
}

// stmtCounter counts the bytes and statements written to it.
type stmtCounter struct{ bytes, stmts int64 }

func (w *stmtCounter) Write(p []byte) (int, error) {
	w.bytes += int64(len(p))
	w.stmts += rowStatements(p)
	return len(p), nil
}

// kitSQLPar writes the SQL of kitSQL with sqlgen.Parallel. It counts the
// statements (one per row, as kitSQL counts) but not the events, which the
// workers' Readers do not report: its events/s column is 0.
func (c *config) kitSQLPar() (result, error) {
	var res result
	src, err := binlog.OpenFile(c.path)
	if err != nil {
		return res, err
	}
	defer src.Close()
	var w stmtCounter
	err = sqlgen.Parallel(context.Background(), &w, src, schema.NewMetadata(),
		sqlgen.Options{FullColumns: true, NoComments: true, AllowUnknownGenerated: true}, binlog.ParallelOptions{Workers: c.workers, BatchBytes: c.batchBytes})
	res.rows = w.stmts
	c.sqlBytes[0] = w.bytes
	return res, err
}
