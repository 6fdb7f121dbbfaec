package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// heapBound is the most heap binlogstat may use over the heap in use
// before it starts (sampled HeapAlloc, garbage included), whatever the size
// of its input.
const heapBound = 8 << 20

// streamStat runs binlogstat --json on a binlog of size bytes generated on
// the fly into a pipe, sampling the heap every few milliseconds. It returns
// the peak heap over the starting one, the report and what was generated.
func streamStat(t *testing.T, g *genTemplate, size uint64, args ...string) (uint64, *report, *genCounts) {
	t.Helper()
	pr, pw := io.Pipe()
	var counts *genCounts
	var genErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		counts, genErr = g.write(pw, size)
		pw.CloseWithError(genErr)
	}()

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, mallocs := ms.HeapAlloc, ms.Mallocs
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				runtime.ReadMemStats(&ms)
				if ms.HeapAlloc > peak.Load() {
					peak.Store(ms.HeapAlloc)
				}
			}
		}
	}()

	var stdout, stderr bytes.Buffer
	code := run(append(append([]string{"--json", "--quiet"}, args...), "-"), pr, &stdout, &stderr)
	close(stop)
	<-sampled
	pr.Close()
	wg.Wait()
	if code != exitOK || genErr != nil {
		t.Fatalf("exit %d: %s (generator: %v)", code, stderr.String(), genErr)
	}
	var rep report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&ms)
	counts.mallocs = ms.Mallocs - mallocs
	p := peak.Load()
	if p < base {
		p = base
	}
	return p - base, &rep, counts
}

// checkGenerated compares a report with what the generator wrote.
func checkGenerated(t *testing.T, rep *report, c *genCounts) {
	t.Helper()
	if len(rep.Tables) != genTables {
		t.Fatalf("%d tables, want %d", len(rep.Tables), genTables)
	}
	var rows uint64
	for _, tb := range rep.Tables {
		k, err := strconv.Atoi(tb.Table[1:])
		if err != nil || tb.Schema != "gen" || k >= genTables {
			t.Fatalf("unexpected table %s.%s", tb.Schema, tb.Table)
		}
		w := c.rows[k]
		if tb.Inserts != w[opInsert] || tb.Updates != w[opUpdate] || tb.Deletes != w[opDelete] || tb.Bytes != c.bytes[k] {
			t.Errorf("%s: %d/%d/%d rows, %d bytes; generated %d/%d/%d, %d bytes", tb.Table, tb.Inserts, tb.Updates, tb.Deletes, tb.Bytes, w[0], w[1], w[2], c.bytes[k])
		}
		rows += tb.Rows
	}
	if rep.Transactions.Count != c.txs || rep.Transactions.Rows != rows || rep.Transactions.WithXID != c.txs {
		t.Errorf("transactions %+v; generated %d with %d rows", rep.Transactions, c.txs, rows)
	}
	if rep.Files[0].Bytes != c.size {
		t.Errorf("file of %d bytes, generated %d", rep.Files[0].Bytes, c.size)
	}
	if rep.BigTransactions.Count != c.big || rep.LongTransactions.Count != c.long {
		t.Errorf("big %d, long %d; generated %d, %d", rep.BigTransactions.Count, rep.LongTransactions.Count, c.big, c.long)
	}
	if len(rep.TopByRows) == 0 || rep.TopByRows[0].Rows < c.bigRows {
		t.Errorf("biggest transaction %+v, generated ones of %d rows", rep.TopByRows, c.bigRows)
	}
	if len(rep.Longest) == 0 || rep.Longest[0].DurationSeconds != genLongSecs {
		t.Errorf("longest transaction %+v, generated ones of %d s", rep.Longest, genLongSecs)
	}
	h := rep.Histogram
	if len(h.Buckets) > maxBuckets || len(h.Buckets) == 0 {
		t.Errorf("%d histogram buckets, at most %d", len(h.Buckets), maxBuckets)
	}
	var hx uint64
	for _, b := range h.Buckets {
		hx += b.Transactions
	}
	if hx != c.txs {
		t.Errorf("histogram holds %d transactions, want %d", hx, c.txs)
	}
	// Buckets are consecutive, BucketSeconds apart.
	for i := 1; i < len(h.Buckets); i++ {
		a, _ := time.Parse(time.RFC3339, h.Buckets[i-1].Start)
		b, _ := time.Parse(time.RFC3339, h.Buckets[i].Start)
		if b.Sub(a) != time.Duration(h.BucketSeconds)*time.Second {
			t.Fatalf("buckets %d and %d: %s and %s", i-1, i, h.Buckets[i-1].Start, h.Buckets[i].Start)
		}
	}
}

// TestMemoryFlat streams generated binlogs of 20 MB and 200 MB through
// binlogstat: the peak heap stays under heapBound and does not grow with
// the input, and every count matches what was generated.
func TestMemoryFlat(t *testing.T) {
	sizes := []uint64{20 << 20, 200 << 20}
	if testing.Short() {
		sizes = []uint64{4 << 20, 40 << 20}
	}
	g := newGenTemplate(t)
	var peaks []uint64
	for _, size := range sizes {
		start := time.Now()
		peak, rep, c := streamStat(t, g, size, "--big-rows", strconv.Itoa(genBigStmts), "--long-seconds", strconv.Itoa(genLongSecs))
		el := time.Since(start)
		t.Logf("%d MiB (%d transactions): peak heap +%.1f MiB, %d allocations, %.0f MiB/s, histogram %d buckets of %ds",
			size>>20, c.txs, float64(peak)/(1<<20), c.mallocs, float64(c.size)/(1<<20)/el.Seconds(), len(rep.Histogram.Buckets), rep.Histogram.BucketSeconds)
		checkGenerated(t, rep, c)
		if !rep.Histogram.Coarsened {
			t.Errorf("a span of %d transactions 5 s apart in 1m buckets was not coarsened", c.txs)
		}
		// Steady state allocates nothing: no allocation per transaction,
		// event or row (the few thousand are the start, the top lists'
		// records, histogram buckets and the report).
		if c.mallocs > 20000 {
			t.Errorf("%d allocations for %d transactions: the count grows with the input", c.mallocs, c.txs)
		}
		if peak > heapBound {
			t.Errorf("%d MiB input: peak heap +%d bytes, over the bound of %d", size>>20, peak, heapBound)
		}
		peaks = append(peaks, peak)
	}
	// Ten times the input may not cost more heap beyond sampling noise.
	if peaks[1] > peaks[0]+peaks[0]/2+(2<<20) {
		t.Errorf("peak heap grew with the input: +%d bytes for %d MiB, +%d bytes for %d MiB", peaks[0], sizes[0]>>20, peaks[1], sizes[1]>>20)
	}
}

// BenchmarkStat measures binlogstat over a generated 32 MiB binlog held in
// memory.
func BenchmarkStat(b *testing.B) {
	g := newGenTemplate(b)
	var buf bytes.Buffer
	c, err := g.write(&buf, 32<<20)
	if err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if code := run([]string{"--json", "--quiet", "-"}, bytes.NewReader(data), io.Discard, io.Discard); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(c.txs), "tx/op")
	_ = fmt.Sprint()
	_ = context.Background
}
