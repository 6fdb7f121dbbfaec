package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-mysql-org/go-mysql/canal"
	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/replication"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/cdc"
	"github.com/binlogkit/binlogkit/cdc/natssink"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
)

// The CDC comparison: a workload recorded by a private MariaDB 10.11
// (FULL row images and metadata), read back over the replication protocol
// from its first event to its last by binlogkit's cdc (Stream, Debezium
// envelopes, natssink or JSONLines) and by go-mysql's canal with a
// straightforward handler (a map per row, encoding/json, the same JetStream
// publishing with a Nats-Msg-Id per change, or a JSON line), alternately,
// in one process. JetStream is the machine's nats-server on loopback, a
// new R1 stream with file storage per run.
//
//	cd bench && go test -run '^$' -bench BenchmarkCDC -benchtime 1x -cdc-rounds 5

var cdcRounds = flag.Int("cdc-rounds", 3, "rounds of each CDC variant in BenchmarkCDC (medians are reported)")

var cdcNATSFlag = flag.String("cdc-nats", "nats://127.0.0.1:4222", "NATS server of BenchmarkCDC (\"embedded\": a nats-server v2.12 started in the process on loopback)")

// startEmbeddedNATS starts a JetStream server in the process, on a free
// loopback port, storing in dir.
func startEmbeddedNATS(b *testing.B) string {
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: b.TempDir(), NoSigs: true, NoLog: true})
	if err != nil {
		b.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		b.Fatal("the embedded NATS server did not start")
	}
	b.Cleanup(s.Shutdown)
	return s.ClientURL()
}

type cdcSetup struct {
	srv        *mariadbtest.Server
	start, end mysql.Position
	changes    int
	binlogMB   float64
}

// recordWorkload runs the workload on a private MariaDB and returns where
// its binlog starts and ends: 4 tables of 6 columns (BIGINT key, INT,
// DECIMAL, DATETIME(6), VARCHAR, BLOB), 60,000 rows inserted into each in
// 10,000-row statements, 10,000 single-row UPDATE transactions, 20,000 rows
// updated and 10,000 deleted per table in larger statements: 370,000 row
// changes in 10,044 transactions.
func recordWorkload(b *testing.B) *cdcSetup {
	srv := mariadbtest.Start(b, mariadbtest.WithArgs("--max-binlog-size=1073741824", "--innodb-flush-log-at-trx-commit=0", "--sync-binlog=0"))
	srv.Exec(b, "CREATE DATABASE bench")
	for i := 0; i < 4; i++ {
		srv.Exec(b, fmt.Sprintf("CREATE TABLE bench.t%d (id BIGINT PRIMARY KEY, qty INT, price DECIMAL(12,2), created DATETIME(6), name VARCHAR(100), note BLOB)", i))
	}
	srv.FlushLogs(b)
	st := &cdcSetup{srv: srv}
	st.start = masterPos(b, srv)
	for i := 0; i < 4; i++ {
		for k := 0; k < 6; k++ {
			srv.Exec(b, fmt.Sprintf(`INSERT INTO bench.t%d SELECT seq + %d, seq %% 1000, seq / 100, TIMESTAMP'2026-01-01 00:00:00' + INTERVAL seq SECOND,
				CONCAT('name-', seq), UNHEX(SHA2(seq, 256)) FROM bench.seq_1_to_10000`, i, k*10000))
		}
	}
	var sb strings.Builder
	r := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 10000; k++ {
		fmt.Fprintf(&sb, "UPDATE bench.t%d SET qty = qty + 1, name = 'small-%d' WHERE id = %d;\n", k%4, k, 1+r.IntN(60000))
	}
	path := filepath.Join(b.TempDir(), "small.sql")
	os.WriteFile(path, []byte(sb.String()), 0o644)
	srv.ExecFile(b, path)
	for i := 0; i < 4; i++ {
		for k := 0; k < 4; k++ {
			srv.Exec(b, fmt.Sprintf("UPDATE bench.t%d SET price = price + 1.5, created = created + INTERVAL 1 DAY WHERE id > %d AND id <= %d", i, k*5000, (k+1)*5000))
		}
		srv.Exec(b, fmt.Sprintf("DELETE FROM bench.t%d WHERE id > 50000", i))
	}
	st.end = masterPos(b, srv)
	st.changes = 4*(60000+20000+10000) + 10000
	fi, _ := os.Stat(filepath.Join(srv.BinlogDir(), st.start.Name))
	if fi != nil {
		st.binlogMB = float64(fi.Size()) / 1e6
	}
	return st
}

func masterPos(b *testing.B, srv *mariadbtest.Server) mysql.Position {
	f := strings.Fields(srv.Query(b, "SHOW MASTER STATUS"))
	p, _ := strconv.ParseUint(f[1], 10, 32)
	return mysql.Position{Name: f[0], Pos: uint32(p)}
}

type cdcResult struct {
	elapsed time.Duration
	changes int
	allocs  uint64
	bytes   uint64
	cpu     time.Duration // this process's CPU time
	natsCPU time.Duration // the NATS server's
}

func measureCDC(b *testing.B, run func() int) cdcResult {
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	c0, n0 := processCPU(), natsServerCPU()
	t0 := time.Now()
	n := run()
	el := time.Since(t0)
	c1, n1 := processCPU(), natsServerCPU()
	runtime.ReadMemStats(&m1)
	return cdcResult{elapsed: el, changes: n, allocs: m1.Mallocs - m0.Mallocs, bytes: m1.TotalAlloc - m0.TotalAlloc, cpu: c1 - c0, natsCPU: n1 - n0}
}

// natsServerCPU returns the CPU time of the machine's nats-server process
// (0 when it cannot be read).
func natsServerCPU() time.Duration {
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		comm, err := os.ReadFile(filepath.Join("/proc", d.Name(), "comm"))
		if err != nil || strings.TrimSpace(string(comm)) != "nats-server" {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", d.Name(), "stat"))
		if err != nil {
			return 0
		}
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		return time.Duration(u+s) * 10 * time.Millisecond // USER_HZ 100
	}
	return 0
}

func newStream(b *testing.B, nc *nats.Conn) (string, func()) {
	js, _ := jetstream.New(nc)
	name := fmt.Sprintf("BENCH_%d", time.Now().UnixNano())
	_, err := js.CreateStream(context.Background(), jetstream.StreamConfig{Name: name, Subjects: []string{name + ".>"},
		Storage: jetstream.FileStorage, Replicas: 1, Duplicates: 20 * time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	return name, func() {
		js.DeleteStream(context.Background(), name)
		js.DeleteKeyValue(context.Background(), name+"_checkpoints")
	}
}

// binlogkit: cdc.Dial from the first event to the server's end, Run into
// the sink.
func runBinlogkit(b *testing.B, st *cdcSetup, sink func() (cdc.Sink, func())) int {
	ctx := context.Background()
	start := &cdc.Checkpoint{File: st.start.Name, Pos: uint64(st.start.Pos)}
	s, err := cdc.Dial(ctx, binlog.DialConfig{DSN: st.srv.DSN(), ServerID: 7001}, start, cdc.Config{NonBlocking: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	dst, done := sink()
	stats, err := cdc.Run(ctx, s, dst)
	done()
	if err != nil {
		b.Fatal(err)
	}
	return int(stats.Changes)
}

// canalHandler is what a user of canal writes: a map per row with the
// column names, encoding/json, and the output.
type canalHandler struct {
	canal.DummyEventHandler
	c      *canal.Canal
	end    mysql.Position
	file   string
	n      int
	out    func(subject string, id string, data []byte) error
	doneCh chan struct{}
	closed bool
}

func (h *canalHandler) OnRotate(_ *replication.EventHeader, e *replication.RotateEvent) error {
	h.file = string(e.NextLogName)
	return nil
}

func (h *canalHandler) OnRow(e *canal.RowsEvent) error {
	step, op := 1, "c"
	switch e.Action {
	case canal.UpdateAction:
		step, op = 2, "u"
	case canal.DeleteAction:
		op = "d"
	}
	row := func(vals []any) map[string]any {
		m := make(map[string]any, len(vals))
		for i, v := range vals {
			m[e.Table.Columns[i].Name] = v
		}
		return m
	}
	for i := 0; i+step <= len(e.Rows); i += step {
		ev := map[string]any{"op": op, "ts_ms": time.Now().UnixMilli(), "source": map[string]any{
			"connector": "mysql", "name": "bench", "db": e.Table.Schema, "table": e.Table.Name,
			"server_id": e.Header.ServerID, "file": h.file, "pos": e.Header.LogPos - e.Header.EventSize, "row": i / step,
			"ts_ms": int64(e.Header.Timestamp) * 1000,
		}}
		switch op {
		case "c":
			ev["before"], ev["after"] = nil, row(e.Rows[i])
		case "d":
			ev["before"], ev["after"] = row(e.Rows[i]), nil
		default:
			ev["before"], ev["after"] = row(e.Rows[i]), row(e.Rows[i+1])
		}
		data, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		id := fmt.Sprintf("%s:%d:%d", h.file, e.Header.LogPos-e.Header.EventSize, i/step)
		if err := h.out("bench."+e.Table.Schema+"."+e.Table.Name, id, data); err != nil {
			return err
		}
		h.n++
	}
	return nil
}

func (h *canalHandler) OnPosSynced(_ *replication.EventHeader, pos mysql.Position, _ mysql.GTIDSet, _ bool) error {
	if !h.closed && pos.Compare(h.end) >= 0 {
		h.closed = true
		close(h.doneCh)
	}
	return nil
}

func runCanal(b *testing.B, st *cdcSetup, out func(subject, id string, data []byte) error) int {
	cfg := canal.NewDefaultConfig()
	cfg.Addr = fmt.Sprintf("127.0.0.1:%d", st.srv.Port())
	cfg.User, cfg.Password = "root", ""
	cfg.Flavor = mysql.MariaDBFlavor
	cfg.ServerID = 7002
	cfg.Dump.ExecutionPath = ""
	cfg.IncludeTableRegex = []string{`bench\..*`}
	cfg.Logger = nil
	c, err := canal.NewCanal(cfg)
	if err != nil {
		b.Fatal(err)
	}
	h := &canalHandler{c: c, end: st.end, file: st.start.Name, out: out, doneCh: make(chan struct{})}
	c.SetEventHandler(h)
	errc := make(chan error, 1)
	go func() { errc <- c.RunFrom(st.start) }()
	select {
	case <-h.doneCh:
	case err := <-errc:
		b.Fatalf("canal: %v", err)
	}
	c.Close()
	return h.n
}

// BenchmarkCDC prints the comparison table: changes per second into
// JetStream and into JSON lines, allocations per change, medians of
// -cdc-rounds rounds and the ratios.
func BenchmarkCDC(b *testing.B) {
	url := *cdcNATSFlag
	if url == "embedded" {
		url = startEmbeddedNATS(b)
	}
	nc, err := nats.Connect(url)
	if err != nil {
		b.Skipf("no NATS server on %s: %v", url, err)
	}
	defer nc.Close()
	st := recordWorkload(b)
	b.Logf("workload: %d row changes, %.0f MB of binlog (%s:%d to %s:%d)", st.changes, st.binlogMB, st.start.Name, st.start.Pos, st.end.Name, st.end.Pos)
	dir := b.TempDir()
	variants := []struct {
		name string
		run  func() int
	}{
		{"binlogkit → JetStream", func() int {
			name, del := newStream(b, nc)
			defer del()
			return runBinlogkit(b, st, func() (cdc.Sink, func()) {
				s, err := natssink.New(context.Background(), nc, natssink.Config{Stream: name, SubjectPrefix: name})
				if err != nil {
					b.Fatal(err)
				}
				return s, func() { s.Close() }
			})
		}},
		{"canal → JetStream", func() int {
			name, del := newStream(b, nc)
			defer del()
			js, _ := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(8192))
			n := runCanal(b, st, func(subject, id string, data []byte) error {
				_, err := js.PublishMsgAsync(&nats.Msg{Subject: name + "." + subject, Data: data, Header: nats.Header{"Nats-Msg-Id": {id}}},
					jetstream.WithStallWait(time.Minute))
				return err
			})
			select {
			case <-js.PublishAsyncComplete():
			case <-time.After(2 * time.Minute):
				b.Fatal("canal's publishes were not acknowledged")
			}
			return n
		}},
		{"binlogkit → JSON lines", func() int {
			f, _ := os.Create(filepath.Join(dir, "bk.jsonl"))
			defer f.Close()
			return runBinlogkit(b, st, func() (cdc.Sink, func()) {
				j := cdc.NewJSONLines(f, "", &cdc.Encoder{Name: "bench"})
				return j, func() { j.Close() }
			})
		}},
		{"canal → JSON lines", func() int {
			f, _ := os.Create(filepath.Join(dir, "canal.jsonl"))
			defer f.Close()
			w := bufio.NewWriterSize(f, 256<<10)
			n := runCanal(b, st, func(_, _ string, data []byte) error {
				w.Write(data)
				return w.WriteByte('\n')
			})
			w.Flush()
			return n
		}},
	}
	// JetStream's own ceiling on this machine: binlogkit's envelopes,
	// encoded beforehand, published with a Nats-Msg-Id each and nothing
	// else to do, as canal's variant publishes.
	ceiling := envelopes(b, st, filepath.Join(dir, "ceiling.jsonl"))
	variants = append(variants, struct {
		name string
		run  func() int
	}{"JetStream alone", func() int {
		name, del := newStream(b, nc)
		defer del()
		js, _ := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(8192))
		for _, e := range ceiling {
			if _, err := js.PublishMsgAsync(&nats.Msg{Subject: name + "." + e.subject, Data: e.data, Header: nats.Header{"Nats-Msg-Id": {e.id}}},
				jetstream.WithStallWait(time.Minute)); err != nil {
				b.Fatal(err)
			}
		}
		select {
		case <-js.PublishAsyncComplete():
		case <-time.After(2 * time.Minute):
			b.Fatal("the publishes were not acknowledged")
		}
		return len(ceiling)
	}})
	results := make([][]cdcResult, len(variants))
	for r := 0; r < *cdcRounds; r++ {
		for i, v := range variants {
			res := measureCDC(b, v.run)
			if res.changes != st.changes {
				b.Errorf("%s: %d changes, want %d", v.name, res.changes, st.changes)
			}
			results[i] = append(results[i], res)
			fmt.Fprintf(os.Stderr, "round %d %-24s %8.0f changes/s %6.1f allocs/change, CPU µs/change: this process %.1f, nats-server %.1f\n", r+1, v.name,
				float64(res.changes)/res.elapsed.Seconds(), float64(res.allocs)/float64(res.changes),
				float64(res.cpu.Microseconds())/float64(res.changes), float64(res.natsCPU.Microseconds())/float64(res.changes))
		}
	}
	med := func(rs []cdcResult, f func(cdcResult) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		sort.Float64s(v)
		return v[len(v)/2]
	}
	rate := func(r cdcResult) float64 { return float64(r.changes) / r.elapsed.Seconds() }
	// CPU per change of this process and of the NATS server: what a
	// change costs, steadier than wall-clock time on a shared machine.
	cpuPer := func(r cdcResult) float64 { return float64((r.cpu + r.natsCPU).Microseconds()) / float64(r.changes) }
	allocs := func(r cdcResult) float64 { return float64(r.allocs) / float64(r.changes) }
	var tbl strings.Builder
	fmt.Fprintf(&tbl, "\n| into | binlogkit changes/s | CPU µs/change | allocs/change | go-mysql canal changes/s | CPU µs/change | allocs/change | ratio (changes/s) | ratio (CPU) |\n|---|---|---|---|---|---|---|---|---|\n")
	for i := 0; i+1 < len(variants); i += 2 {
		bk, cn := results[i], results[i+1]
		into := strings.TrimPrefix(variants[i].name, "binlogkit → ")
		fmt.Fprintf(&tbl, "| %s | %.0f | %.1f | %.1f | %.0f | %.1f | %.1f | %.2f× | %.2f× |\n", into,
			med(bk, rate), med(bk, cpuPer), med(bk, allocs), med(cn, rate), med(cn, cpuPer), med(cn, allocs),
			med(bk, rate)/med(cn, rate), med(cn, cpuPer)/med(bk, cpuPer))
	}
	last := results[len(results)-1]
	fmt.Fprintf(&tbl, "\nJetStream alone (the same envelopes encoded beforehand, published with a Nats-Msg-Id each): %.0f changes/s, %.1f µs of CPU per change (this process %.1f, nats-server %.1f)\n",
		med(last, rate), med(last, cpuPer), med(last, func(r cdcResult) float64 { return float64(r.cpu.Microseconds()) / float64(r.changes) }),
		med(last, func(r cdcResult) float64 { return float64(r.natsCPU.Microseconds()) / float64(r.changes) }))
	b.Log(tbl.String())
	io.WriteString(os.Stdout, tbl.String())
}

// envelope is one change as the ceiling variant of BenchmarkCDC publishes
// it.
type envelope struct {
	subject, id string
	data        []byte
}

// envelopes runs binlogkit into JSON lines at path once and returns each
// change's envelope with its subject (db.table) and a message id from its
// source position.
func envelopes(b *testing.B, st *cdcSetup, path string) []envelope {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	runBinlogkit(b, st, func() (cdc.Sink, func()) {
		j := cdc.NewJSONLines(f, "", &cdc.Encoder{Name: "bench"})
		return j, func() { j.Close() }
	})
	f.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var out []envelope
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		var e struct {
			Source struct {
				DB, Table, File string
				Pos, Row        int64
			}
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			b.Fatalf("%s: %v", path, err)
		}
		out = append(out, envelope{subject: e.Source.DB + "." + e.Source.Table,
			id: fmt.Sprintf("%s:%d:%d", e.Source.File, e.Source.Pos, e.Source.Row), data: []byte(line)})
	}
	if len(out) != st.changes {
		b.Fatalf("%d envelopes, want %d", len(out), st.changes)
	}
	return out
}

// processCPU returns this process's user and system CPU time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
