package binlog

import (
	"context"
	"io"

	"github.com/binlogkit/binlogkit/event"
)

// Sink consumes events. The event is valid only during the call; a Sink that
// keeps it must Clone it.
type Sink interface {
	WriteEvent(ctx context.Context, ev *event.Event) error
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(ctx context.Context, ev *event.Event) error

// WriteEvent calls f.
func (f SinkFunc) WriteEvent(ctx context.Context, ev *event.Event) error { return f(ctx, ev) }

// Stats counts what Copy moved.
type Stats struct {
	Events uint64 // events read
	Kept   uint64 // events the filters kept and the sink accepted
	Bytes  uint64 // bytes of the events read (their Raw length)
}

// Copy reads r to its end and writes every event that all filters keep to dst,
// like io.Copy. Filters see every event in order. It returns at the first
// error from r or dst; a clean end returns a nil error.
func Copy(ctx context.Context, dst Sink, r *Reader, filters ...Filter) (Stats, error) {
	var st Stats
	for {
		ev, err := r.Next(ctx)
		if err == io.EOF {
			return st, nil
		}
		if err != nil {
			return st, err
		}
		st.Events++
		st.Bytes += uint64(len(ev.Raw))
		keep := true
		for _, f := range filters {
			if !f.Keep(ev) {
				keep = false
			}
		}
		if !keep {
			continue
		}
		if err := dst.WriteEvent(ctx, ev); err != nil {
			return st, err
		}
		st.Kept++
	}
}
