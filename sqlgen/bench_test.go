package sqlgen

import (
	"bytes"
	"context"
	"io"
	"os"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// benchFile is the largest recorded binlog: every column type.
const benchFile = recordedFull

// benchEvents decodes the binlog once and returns its events (cloned) and
// the number of row changes in it (one statement each with FullColumns).
func benchEvents(b *testing.B, data []byte) ([]*event.Event, int) {
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(data), benchFile))
	g := New(nil, Options{FullColumns: true, NoComments: true})
	var evs []*event.Event
	rows := 0
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			return evs, rows
		}
		if err != nil {
			b.Fatal(err)
		}
		out, err := g.AppendEvent(nil, ev)
		if err != nil {
			b.Fatal(err)
		}
		if _, ok := ev.Body.(*event.Rows); ok {
			rows += bytes.Count(out, []byte(";\n"))
		}
		evs = append(evs, ev.Clone())
	}
}

// BenchmarkGenerate measures binlog bytes turned into SQL per second,
// reading included (a 16 MiB binlog made of the recording's events
// repeated, from memory, once per op), and
// reports allocations per row of the generation proper.
//
//	go test ./sqlgen -run XXX -bench Generate -benchmem
func BenchmarkGenerate(b *testing.B) {
	data := bigRecording(b, 16<<20)
	evs, rows := benchEvents(b, data)
	g := New(nil, Options{})
	out := make([]byte, 0, 1<<20)
	gen := func() {
		var err error
		out = out[:0]
		for _, ev := range evs {
			if out, err = g.AppendEvent(out, ev); err != nil {
				b.Fatal(err)
			}
		}
	}
	gen()
	allocs := testing.AllocsPerRun(5, gen)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(data), benchFile))
		out = out[:0]
		for {
			ev, err := r.Next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if out, err = g.AppendEvent(out, ev); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(rows), "rows/op")
	b.ReportMetric(allocs/float64(rows), "gen-allocs/row")
	b.ReportMetric(float64(len(out))/float64(len(data)), "sql-bytes/binlog-byte")
}

// BenchmarkGenerateEvents measures the generation alone, on events decoded
// beforehand: SetBytes counts the binlog bytes of those events.
func BenchmarkGenerateEvents(b *testing.B) {
	data, err := os.ReadFile(benchFile)
	if err != nil {
		b.Fatal(err)
	}
	evs, rows := benchEvents(b, data)
	g := New(nil, Options{})
	out := make([]byte, 0, 1<<20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out = out[:0]
		for _, ev := range evs {
			if out, err = g.AppendEvent(out, ev); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "rows/s")
}

// bigRecording returns a binlog of about n bytes: the recording's format
// description, then its other events (ROTATE and STOP left out) repeated,
// checksums intact.
func bigRecording(b *testing.B, n int) []byte {
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
		switch ev.Header.Type {
		case event.FormatDescriptionEvent:
			head = append(append(head, event.Magic[:]...), ev.Raw...)
		case event.RotateEvent, event.StopEvent:
		default:
			if !ev.InPayload {
				body = append(body, ev.Raw...)
			}
		}
	}
	out := append(make([]byte, 0, n+len(body)), head...)
	for len(out) < n {
		out = append(out, body...)
	}
	return out
}
