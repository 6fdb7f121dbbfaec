package natssink

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/binlogkit/binlogkit/cdc"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

const localNATS = "nats://127.0.0.1:4222"

// connectLocal connects to the machine's NATS server with JetStream, or
// skips.
func connectLocal(t *testing.T) *nats.Conn {
	nc, err := nats.Connect(localNATS, nats.Timeout(2*time.Second))
	if err != nil {
		t.Skipf("no NATS server on %s (.ci/run starts one): %v", localNATS, err)
	}
	t.Cleanup(nc.Close)
	js, _ := jetstream.New(nc)
	if _, err := js.AccountInfo(context.Background()); err != nil {
		t.Skipf("the NATS server on %s has no JetStream: %v", localNATS, err)
	}
	return nc
}

// uniqueName returns a stream name of this test alone, deleted when the test
// ends; tests use it as the subject prefix too, so that no stream left
// behind by a killed run overlaps their subjects.
func uniqueName(t *testing.T, nc *nats.Conn) string {
	name := fmt.Sprintf("T%d_%d", time.Now().UnixNano(), rand.IntN(1e6))
	t.Cleanup(func() { deleteStream(nc, name) })
	return name
}

func deleteStream(nc *nats.Conn, name string) {
	js, _ := jetstream.New(nc)
	js.DeleteStream(context.Background(), name)
	js.DeleteKeyValue(context.Background(), name+"_checkpoints")
}

var cols = []rowcodec.Column{
	{Name: []byte("id"), Type: event.ColumnTypeLong, PrimaryKey: true},
	{Name: []byte("v"), Type: event.ColumnTypeVarchar, Collation: 45},
}

// synthetic returns change number i of a synthetic stream: tables t0…t3,
// a transaction every 5 changes.
func synthetic(i int, vals []rowcodec.Value) *cdc.Change {
	vals[0] = rowcodec.IntValue(int64(i))
	vals[1] = rowcodec.StringValue([]byte("value-"+strconv.Itoa(i)), 45)
	return &cdc.Change{
		Op: cdc.OpInsert, Database: "db", Table: "t" + strconv.Itoa(i%4), Columns: cols, Key: []int{0}, After: vals,
		Source: cdc.Source{File: "binlog.000001", Pos: uint64(1000 + i/5*100), NextPos: uint64(1000 + i/5*100 + 50), Row: i % 5, ServerID: 1},
		Tx:     cdc.TxInfo{ID: "tx" + strconv.Itoa(i/5), Order: i%5 + 1, TableOrder: 1},
	}
}

func checkpointAfter(i int) *cdc.Checkpoint {
	return &cdc.Checkpoint{File: "binlog.000001", Pos: uint64(1000 + i/5*100 + 50)}
}

// publish writes changes [from, to) with a commit after every fifth.
func publish(t *testing.T, s *Sink, from, to int, during func(i int)) {
	ctx := context.Background()
	vals := make([]rowcodec.Value, 2)
	for i := from; i < to; i++ {
		if during != nil {
			during(i)
		}
		if err := s.Write(ctx, synthetic(i, vals)); err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
		if i%5 == 4 {
			if err := s.Commit(ctx, checkpointAfter(i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

// verify reads the whole stream: n messages, each change once, in order
// per subject, and the checkpoint after the last.
func verify(t *testing.T, nc *nats.Conn, s *Sink, stream string, n int) {
	ctx := context.Background()
	js, _ := jetstream.New(nc)
	st, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := st.Info(ctx)
	if int(info.State.Msgs) != n {
		t.Errorf("stream holds %d messages, want %d", info.State.Msgs, n)
	}
	cons, err := js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	last := map[string]int{}
	empty := 0
	for read := 0; read < int(info.State.Msgs); {
		batch, err := cons.Fetch(1000, jetstream.FetchMaxWait(3*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for m := range batch.Messages() {
			got++
			read++
			id := m.Headers().Get(jetstream.MsgIDHeader)
			if seen[id] {
				t.Errorf("message %s twice", id)
			}
			seen[id] = true
			var k int
			fmt.Sscanf(m.Headers().Get(HeaderKey), `{"id":%d}`, &k)
			if prev, ok := last[m.Subject()]; ok && k <= prev {
				t.Errorf("%s: change %d after %d", m.Subject(), k, prev)
			}
			last[m.Subject()] = k
			if !strings.HasPrefix(m.Subject(), stream+".db.t") || !strings.Contains(string(m.Data()), `"op":"c"`) {
				t.Errorf("subject %s, data %s", m.Subject(), m.Data())
			}
		}
		if got == 0 {
			// An ordered consumer of a cluster that lost a node may
			// take a moment to come back.
			if empty++; empty > 10 {
				t.Fatalf("read %d of %d", read, info.State.Msgs)
			}
		}
	}
	cp, err := s.Checkpoint(ctx)
	if err != nil || cp == nil || cp.Pos != checkpointAfter(n-1).Pos {
		t.Errorf("stored checkpoint %v %v, want %v", cp, err, checkpointAfter(n-1))
	}
}

// TestSink publishes to the machine's NATS server: every change once,
// in order per table, the checkpoint stored after them; the same changes
// published again (a restart from an older checkpoint) are dropped as
// duplicates.
func TestSink(t *testing.T) {
	nc := connectLocal(t)
	name := uniqueName(t, nc)
	ctx := context.Background()
	s, err := New(ctx, nc, Config{Stream: name, SubjectPrefix: name, Window: 64, KeyHeader: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if cp, err := s.Checkpoint(ctx); cp != nil || err != nil {
		t.Fatalf("a new bucket holds %v %v", cp, err)
	}
	publish(t, s, 0, 3000, nil)
	// A restart from the checkpoint after change 1999 delivers 2000… again.
	s2, err := New(ctx, nc, Config{Stream: name, SubjectPrefix: name, Window: 64, KeyHeader: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	publish(t, s2, 2000, 3000, nil)
	pub, acked, dups, _ := s2.Stats()
	if pub != 1000 || acked != 1000 || dups != 1000 {
		t.Errorf("republished: %d published, %d acknowledged, %d duplicates; want 1000 each", pub, acked, dups)
	}
	verify(t, nc, s2, name, 3000)
}

// TestSinkQuietCheckpoint: the checkpoint of the last transaction is stored
// by the sink's timer when no change follows it.
func TestSinkQuietCheckpoint(t *testing.T) {
	nc := connectLocal(t)
	name := uniqueName(t, nc)
	ctx := context.Background()
	s, err := New(ctx, nc, Config{Stream: name, SubjectPrefix: name, Interval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	vals := make([]rowcodec.Value, 2)
	for i := 0; i < 10; i++ {
		if err := s.Write(ctx, synthetic(i, vals)); err != nil {
			t.Fatal(err)
		}
		if i%5 == 4 {
			s.Commit(ctx, checkpointAfter(i))
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		cp, err := s.Checkpoint(ctx)
		if err == nil && cp != nil && cp.Pos == checkpointAfter(9).Pos {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the last checkpoint was not stored: %v %v", cp, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestSubject(t *testing.T) {
	s := &Sink{prefix: "cdc"}
	if got := string(s.Subject(nil, "my.db", "a b*>")); got != "cdc.my_db.a_b__" {
		t.Errorf("subject %q", got)
	}
	if got := SubjectFilter("cdc", "shop", "*"); got != "cdc.shop.*" {
		t.Errorf("filter %q", got)
	}
}
