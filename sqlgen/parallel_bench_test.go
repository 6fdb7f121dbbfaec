package sqlgen

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// dmlRecording returns a binlog of about n bytes: the recording's format
// description, then its transactions without DDL (which would make every
// repetition a barrier) repeated.
func dmlRecording(b *testing.B, n int) []byte {
	data, err := os.ReadFile(benchFile)
	if err != nil {
		b.Fatal(err)
	}
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(data), benchFile))
	var head, body []byte
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		switch q, _ := ev.Body.(*event.Query); {
		case ev.Header.Type == event.FormatDescriptionEvent:
			head = append(append(head, event.Magic[:]...), ev.Raw...)
		case ev.Header.Type == event.RotateEvent || ev.Header.Type == event.StopEvent || ev.InPayload:
		case q != nil && classifyQuery(bytes.TrimSpace(q.Query)) >= stmtDDL:
		default:
			body = append(body, ev.Raw...)
		}
	}
	out := append(make([]byte, 0, n+len(body)), head...)
	for len(out) < n {
		out = append(out, body...)
	}
	return out
}

type countWriter int64

func (w *countWriter) Write(p []byte) (int, error) { *w += countWriter(len(p)); return len(p), nil }

// BenchmarkParallel measures binlog bytes turned into SQL per second by
// Parallel (reading included, a 32 MiB binlog from memory) against the
// sequential loop, for several worker counts: on a machine with enough
// cores, Workers=N should approach N times Sequential.
//
//	go test ./sqlgen -run XXX -bench Parallel -benchtime 5x
func BenchmarkParallel(b *testing.B) {
	data := dmlRecording(b, 32<<20)
	opts := Options{FullColumns: true}
	b.Run("Sequential", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		var out []byte
		for i := 0; i < b.N; i++ {
			r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(data), benchFile))
			g := New(nil, opts)
			for {
				ev, err := r.Next(context.Background())
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				if out, err = g.AppendEvent(out[:0], ev); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	for _, workers := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("Workers=%d", workers), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var w countWriter
				src := binlog.NewStreamSource(bytes.NewReader(data), benchFile)
				if err := Parallel(context.Background(), &w, src, nil, opts, binlog.ParallelOptions{Workers: workers}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
