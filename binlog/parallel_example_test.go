package binlog_test

import (
	"context"
	"fmt"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// Parallel decodes batches of transactions on several goroutines and hands
// the results over in input order: here, per batch, the GTIDs of its
// transactions and how many rows events each holds.
func ExampleParallel() {
	src := binlog.OpenFiles("../testdata/recorded/mariadb-10_11-full.000002")
	ctx := context.Background()
	err := binlog.Parallel(ctx, src, binlog.ParallelOptions{Workers: 4},
		// Called once per worker: state kept here is the worker's own.
		func() func(context.Context, *binlog.Batch) ([]string, error) {
			return func(ctx context.Context, b *binlog.Batch) ([]string, error) {
				var out []string
				for tx, err := range b.Reader().Transactions(ctx) {
					if err != nil {
						return out, err
					}
					rows := 0
					for ev, err := range tx.Events() {
						if err != nil {
							return out, err
						}
						if _, ok := ev.Body.(*event.Rows); ok {
							rows++
						}
					}
					if tx.HasGTID && rows > 0 {
						out = append(out, fmt.Sprintf("%s: %d rows events", tx.GTID, rows))
					}
				}
				return out, nil
			}
		},
		// Called in input order, on this goroutine.
		func(lines []string) error {
			for _, l := range lines {
				fmt.Println(l)
			}
			return nil
		})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// 0-1-75: 1 rows events
	// 0-1-76: 1 rows events
	// 0-1-77: 2 rows events
	// 0-1-81: 1 rows events
	// 0-1-83: 1 rows events
	// 0-1-84: 1 rows events
	// 0-1-85: 1 rows events
}
