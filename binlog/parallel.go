package binlog

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/binlogkit/binlogkit/event"
)

// DefaultBatchBytes is the number of event bytes a batch of Parallel gathers
// before it is handed to a worker, unless ParallelOptions says otherwise.
const DefaultBatchBytes = 512 << 10

// ParallelOptions configures Parallel.
type ParallelOptions struct {
	// Workers is the number of goroutines that process batches (0 or less:
	// runtime.GOMAXPROCS(0)).
	Workers int
	// BatchBytes is how many event bytes a batch gathers before it is handed
	// to a worker (0 or less: DefaultBatchBytes). A batch holds whole
	// transactions, so one can be larger.
	BatchBytes int
	// Barrier, when not nil, is called in stream order for every QUERY
	// event (outside transaction payloads) with its header and
	// *event.Query body decoded, and for every TABLE_MAP and
	// TRANSACTION_PAYLOAD event with Body nil (Raw, Header, Format, File
	// and Pos set), and reports whether the transaction holding it must be
	// processed alone: it then gets a batch of its own, processed after
	// every earlier batch and before any later one starts. A statement that
	// changes how later rows are understood (DDL for a schema tracker)
	// needs this; the table maps tell a tracker which tables later batches
	// will ask it about. The event is valid during the call only.
	Barrier func(ev *event.Event) bool
	// ReaderOptions configure the Reader each worker decodes its batches
	// with. A filter sees only the events of the batches its worker gets, so
	// only filters that decide on one event (or one transaction) at a time
	// give the results they give a single Reader.
	ReaderOptions []Option
}

// Batch is a run of whole transactions of the stream, handed to one worker
// of Parallel. Its events are read with Reader.
type Batch struct {
	seq     uint64
	barrier bool
	buf     []byte
	evs     []batchEvent
	r       *Reader
	size    int   // event bytes, copied or mapped
	readErr error // the error that ended the input after this batch
	// Batches read in place (see runInPlace) have no buffer:
	fd  *event.FormatDescription // the format in force at the start
	cut *cutSource
}

// batchEvent is where one event of a batch sits in its buffer and in the
// input, with the format in force before it.
type batchEvent struct {
	file      string
	pos, next uint64 // next: where the next event starts (Event.NextPos)
	off, end  int    // in the batch's buffer, when raw is nil
	raw       []byte // the event in a file mapping (not copied)
	fd        *event.FormatDescription
}

// Seq returns the batch's number in input order, from 0.
func (b *Batch) Seq() uint64 { return b.seq }

// Barrier reports whether the batch is processed alone, with no other
// batch in flight: a batch holding a transaction that
// ParallelOptions.Barrier marked, or every batch when Parallel runs them
// one at a time (GOMAXPROCS 1).
func (b *Batch) Barrier() bool { return b.barrier }

// Format returns the FORMAT_DESCRIPTION in force at the batch's first event
// (event.DefaultFormat before the input's first one). It is never mutated.
func (b *Batch) Format() *event.FormatDescription {
	if b.fd != nil {
		return b.fd
	}
	if len(b.evs) == 0 {
		return event.DefaultFormat()
	}
	return b.evs[0].fd
}

// Len returns the number of raw event bytes in the batch (with GOMAXPROCS
// 1, where batches are read in place, the bytes read so far).
func (b *Batch) Len() int {
	if b.cut != nil {
		return b.cut.n
	}
	return b.size
}

// Reader returns the worker's Reader, positioned at the batch's first event
// and ending (io.EOF) after its last, or with the error that ended the
// input there: its events carry the files and positions of the input, and
// its errors name them as a Reader over the whole input would. The Reader is valid until the work function returns;
// its events as Reader documents.
func (b *Batch) Reader() *Reader { return b.r }

// batchSource yields the events of one batch to a worker's Reader.
type batchSource struct {
	b         *Batch
	i         int
	file      string
	pos, next uint64
}

func (s *batchSource) ReadEvent(ctx context.Context) ([]byte, error) {
	if s.i >= len(s.b.evs) {
		if s.b.readErr != nil {
			// The input ended in error here: the worker's Reader reports
			// it where a Reader over the whole input would.
			return nil, s.b.readErr
		}
		return nil, io.EOF
	}
	e := &s.b.evs[s.i]
	s.i++
	s.file, s.pos, s.next = e.file, e.pos, e.next
	if e.raw != nil {
		return e.raw, nil
	}
	return s.b.buf[e.off:e.end:e.end], nil
}

func (s *batchSource) Position() (string, uint64) { return s.file, s.pos }

func (s *batchSource) NextPosition() uint64 { return s.next }

// startBatch makes r read b from its start, in the state a Reader over the
// whole input has there: the format in force and the file.
func (r *Reader) startBatch(s *batchSource, b *Batch) {
	s.b, s.i = b, 0
	r.err, r.unread, r.inPayload, r.encryptedAt = nil, false, false, 0
	r.fd = b.Format()
	if len(b.evs) > 0 {
		r.file = b.evs[0].file
	}
	b.r = r
}

// job is a Batch with the result of its work.
type job[T any] struct {
	b   Batch
	res T
	err error
}

// Parallel reads src, cuts the stream into batches of whole transactions
// and runs the work functions on them on opts.Workers goroutines; emit gets
// the results in input order, on the goroutine that called Parallel, each
// after every earlier one. newWorker is called once per worker goroutine and
// returns the function that goroutine runs on each batch it takes, so
// per-worker state (decoders, generators, buffers) needs no locking.
//
// One goroutine frames the events (without decoding them, except
// FORMAT_DESCRIPTION, GTID and QUERY bodies) and copies them into batches
// (the events of a *StreamSource reading a memory-mapped file are
// referenced instead: src must stay open until Parallel returns);
// TRANSACTION_PAYLOAD events are decompressed and checksums verified by the
// workers. A batch starts at a transaction's GTID event (or at BEGIN in a
// stream without GTID events), so a work function that starts each batch
// from scratch sees every transaction with its Table_maps. (A worker's
// Reader knows the Table_maps of its own batches only: a rows event whose
// Table_map is in an earlier transaction, which servers do not write, gets
// a different Event.Table than from a single Reader.)
//
// With GOMAXPROCS 1 nothing runs at the same time anyway: Parallel then
// reads src with a single Reader on the calling goroutine, cuts the same
// batches without copying them and calls one work function on each, at
// the cost of the sequential path.
//
// Memory: at most 2×Workers+2 batches exist at a time (being filled, queued,
// processed, or waiting for emit); each holds about BatchBytes of events
// (copied, or referenced in a mapping), or one whole transaction when that
// is larger. Buffers are reused.
//
// When work returns an error, emit still gets that batch's result (what
// the work produced before the error), then Parallel stops and returns the
// error; later batches are dropped. An error reading src (a truncated
// event, a checksum error found by a worker, ctx's end) is returned in the
// same way once every batch before it has been emitted, so the output
// before an error is what a single Reader gives. An error from emit stops
// everything and is returned. Every goroutine has ended when Parallel
// returns.
//
// Parallel reads src itself; the Reader is for the sequential form of the
// same work.
func Parallel[T any](ctx context.Context, src Source, opts ParallelOptions,
	newWorker func() func(ctx context.Context, b *Batch) (T, error),
	emit func(res T) error) error {
	if runtime.GOMAXPROCS(0) == 1 {
		return runInPlace(ctx, src, opts, newWorker(), emit)
	}
	p := newPar[T](src, opts)
	ictx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); p.dispatch(ictx) }()
	for i := 0; i < p.workers; i++ {
		fn := newWorker()
		wg.Add(1)
		go func() { defer wg.Done(); p.runWorker(ictx, fn) }()
	}
	err := p.collect(ctx, emit)
	close(p.stop)
	cancel()
	wg.Wait()
	return err
}

type par[T any] struct {
	src        Source
	pos        Positioner
	np         NextPositioner
	opts       ParallelOptions
	ropts      options
	workers    int
	batchBytes int
	n          int // jobs in existence

	free     chan *job[T]
	work     chan *job[T]
	done     chan *job[T]
	total    chan uint64
	progress chan struct{}
	stop     chan struct{}

	dispatched uint64        // jobs sent (dispatcher only)
	completed  atomic.Uint64 // jobs processed by workers
	errSeq     atomic.Uint64 // lowest seq whose work failed (MaxUint64: none)
}

// parOptions is what both ways of running Parallel take from its options.
type parOptions struct {
	pos        Positioner
	np         NextPositioner
	ropts      options
	workers    int
	batchBytes int
}

func newParOptions(src Source, opts ParallelOptions) parOptions {
	p := parOptions{workers: opts.Workers, batchBytes: opts.BatchBytes}
	if p.workers <= 0 {
		p.workers = runtime.GOMAXPROCS(0)
	}
	if p.batchBytes <= 0 {
		p.batchBytes = DefaultBatchBytes
	}
	p.ropts = options{maxEventSize: DefaultMaxEventSize}
	for _, o := range opts.ReaderOptions {
		o(&p.ropts)
	}
	if ps, ok := src.(Positioner); ok {
		p.pos = ps
	}
	if np, ok := src.(NextPositioner); ok {
		p.np = np
	}
	configureSource(src, &p.ropts)
	return p
}

func newPar[T any](src Source, opts ParallelOptions) *par[T] {
	po := newParOptions(src, opts)
	p := &par[T]{src: src, opts: opts, workers: po.workers, batchBytes: po.batchBytes, ropts: po.ropts, pos: po.pos, np: po.np}
	p.n = 2*p.workers + 2
	p.free = make(chan *job[T], p.n)
	for i := 0; i < p.n; i++ {
		p.free <- new(job[T])
	}
	p.work = make(chan *job[T], p.n)
	p.done = make(chan *job[T], p.n)
	p.total = make(chan uint64, 1)
	p.progress = make(chan struct{}, 1)
	p.stop = make(chan struct{})
	p.errSeq.Store(math.MaxUint64)
	return p
}

// runWorker is one worker goroutine.
func (p *par[T]) runWorker(ctx context.Context, fn func(context.Context, *Batch) (T, error)) {
	bs := new(batchSource)
	r := NewReader(bs, p.opts.ReaderOptions...)
	for {
		var j *job[T]
		select {
		case j = <-p.work:
		case <-p.stop:
			return
		}
		if j.b.seq <= p.errSeq.Load() {
			r.startBatch(bs, &j.b)
			j.res, j.err = fn(ctx, &j.b)
			j.b.r = nil
			if j.err != nil {
				for {
					old := p.errSeq.Load()
					if j.b.seq >= old || p.errSeq.CompareAndSwap(old, j.b.seq) {
						break
					}
				}
			}
		}
		p.completed.Add(1)
		select {
		case p.progress <- struct{}{}:
		default:
		}
		p.done <- j // never blocks: the channel holds every job
		// Let the collector and the dispatcher run: with as many workers
		// as processors they would otherwise wait for a preemption while
		// the queue drains.
		runtime.Gosched()
	}
}

// collect emits the results in order; it runs on Parallel's goroutine.
func (p *par[T]) collect(ctx context.Context, emit func(T) error) error {
	ring := make([]*job[T], p.n)
	var next uint64
	total := uint64(math.MaxUint64)
	totalc := p.total
	for {
		for {
			j := ring[next%uint64(p.n)]
			if j == nil {
				break
			}
			ring[next%uint64(p.n)] = nil
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := emit(j.res); err != nil {
				return err
			}
			if j.err != nil {
				return j.err
			}
			if j.b.readErr != nil {
				return j.b.readErr
			}
			p.release(j)
			next++
		}
		if next >= total {
			return nil
		}
		select {
		case j := <-p.done:
			ring[j.b.seq%uint64(p.n)] = j
		case total = <-totalc:
			totalc = nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// release returns a job to the free list once its result is emitted.
func (p *par[T]) release(j *job[T]) {
	var zero T
	j.res, j.err = zero, nil
	if cap(j.b.buf) > 4*p.batchBytes {
		j.b.buf = nil // one large transaction: do not keep its memory
	}
	if cap(j.b.evs) > 1<<16 {
		j.b.evs = nil
	}
	clear(j.b.evs) // mapped events and file names
	j.b.buf, j.b.evs, j.b.size = j.b.buf[:0], j.b.evs[:0], 0
	j.b.readErr, j.b.barrier = nil, false
	p.free <- j // never blocks
}

func (p *par[T]) acquire() *job[T] {
	select {
	case j := <-p.free:
		return j
	case <-p.stop:
		return nil
	}
}

func (p *par[T]) send(j *job[T]) bool {
	j.b.seq = p.dispatched
	select {
	case p.work <- j:
		p.dispatched++
		return true
	case <-p.stop:
		return false
	}
}

// waitIdle waits until every job sent has been processed.
func (p *par[T]) waitIdle() bool {
	for p.completed.Load() < p.dispatched {
		select {
		case <-p.progress:
		case <-p.stop:
			return false
		}
	}
	return true
}

// sendBarrier sends a barrier batch and waits until it is processed, with
// nothing else in flight.
func (p *par[T]) sendBarrier(j *job[T]) bool {
	j.b.barrier = true
	return p.waitIdle() && p.send(j) && p.waitIdle()
}

// failed reports whether a worker has failed: reading on is pointless.
func (p *par[T]) failed() bool { return p.errSeq.Load() != math.MaxUint64 }

// dispatcher state: what framing needs to know of the stream.
type dispatcher struct {
	fd       *event.FormatDescription
	file     string
	last     uint64
	dec      event.Decoder
	ev       event.Event
	gtidSeen bool        // a GTID event carrying a GTID was seen
	anyGTID  bool        // any GTID event (ANONYMOUS_GTID too) was seen
	ended    bool        // the last transaction event ended its transaction
	q        event.Query // a statement's text, read in place
	// encAt is where the encrypted part of file encFile starts, after a
	// START_ENCRYPTION the Source did not decrypt (0: none).
	encAt   uint64
	encFile string
}

// dispatch is the goroutine that reads src and fills batches.
func (p *par[T]) dispatch(ctx context.Context) {
	defer func() { p.total <- p.dispatched }()
	d := &dispatcher{fd: event.DefaultFormat()}
	// Events of a memory-mapped file stay valid until the file is closed,
	// which the caller does after Parallel returns: they are not copied.
	// (A StreamSource reading through its mapping has data set after
	// ReadEvent; once the file grew past the mapping it reads through its
	// buffer, and data is nil.)
	// A FileList keeps the mappings of the files it finished until it is
	// closed.
	var mapped interface{ mappedEvent() bool }
	switch s := p.src.(type) {
	case *StreamSource:
		mapped = s
	case *FileList:
		s.keepMaps = true
		mapped = s
	}
	cur := p.acquire()
	if cur == nil {
		return
	}
	txStart, txBarrier := 0, false
	// flush ends the transaction [txStart:] of cur and hands cur on when
	// full or when the transaction was a barrier (alone in its batch).
	flush := func(final bool) bool {
		if txBarrier && len(cur.b.evs) > txStart {
			if txStart > 0 {
				tail := p.acquire()
				if tail == nil {
					return false
				}
				cur.b.moveTail(&tail.b, txStart)
				tail.b.readErr, cur.b.readErr = cur.b.readErr, nil
				if !p.send(cur) {
					return false
				}
				cur = tail
			}
			if !p.sendBarrier(cur) {
				return false
			}
			cur = nil
		} else if final || cur.b.size >= p.batchBytes {
			if !p.send(cur) {
				return false
			}
			cur = nil
		}
		if final {
			return true
		}
		if cur == nil {
			if cur = p.acquire(); cur == nil {
				return false
			}
		}
		txStart, txBarrier = len(cur.b.evs), false
		return true
	}
	for {
		raw, err := p.src.ReadEvent(ctx)
		if err != nil {
			if err != io.EOF {
				cur.b.readErr = err
			} else if t, ok := p.src.(Tailer); ok && p.ropts.logger != nil {
				// As a Reader does at the end of its input.
				if file, off, n := t.Tail(); n > 0 {
					p.ropts.logger.Warn("binlog: partial event header at end of input ignored", "file", file, "offset", off, "bytes", n)
				}
			}
			break
		}
		if p.failed() {
			break
		}
		var file string
		var pos uint64
		if p.pos != nil {
			file, pos = p.pos.Position()
		} else {
			pos = d.last
		}
		if file != d.file {
			// As a Reader does: a new file starts with its own format.
			d.file, d.fd = file, event.DefaultFormat()
		}
		next := pos + uint64(len(raw))
		if p.np != nil {
			next = p.np.NextPosition()
		}
		d.last = next
		fd := d.fd
		cut, barrier, stopErr := d.classify(raw, file, pos, next, p.opts.Barrier)
		if cut && len(cur.b.evs) > txStart {
			if !flush(false) {
				return
			}
		}
		cur.b.add(raw, mapped != nil && mapped.mappedEvent(), file, pos, next, fd)
		txBarrier = txBarrier || barrier
		if stopErr != nil {
			cur.b.readErr = stopErr
			break
		}
	}
	flush(true)
}

// add adds one raw event to the batch: a reference when it stays valid
// (mapped), else a copy.
func (b *Batch) add(raw []byte, mapped bool, file string, pos, next uint64, fd *event.FormatDescription) {
	b.size += len(raw)
	if mapped {
		b.evs = append(b.evs, batchEvent{file: file, pos: pos, next: next, raw: raw, fd: fd})
		return
	}
	off := len(b.buf)
	b.buf = append(b.buf, raw...)
	b.evs = append(b.evs, batchEvent{file: file, pos: pos, next: next, off: off, end: len(b.buf), fd: fd})
}

// moveTail moves the events from index i on into t (empty).
func (b *Batch) moveTail(t *Batch, i int) {
	base := -1
	for _, e := range b.evs[i:] {
		raw := e.raw
		if raw == nil {
			if base < 0 {
				base = e.off
			}
			raw = b.buf[e.off:e.end]
		}
		t.add(raw, e.raw != nil, e.file, e.pos, e.next, e.fd)
		b.size -= len(raw)
	}
	if base >= 0 {
		b.buf = b.buf[:base]
	}
	clear(b.evs[i:])
	b.evs = b.evs[:i]
}

// classify looks at one raw event: cut reports that a new transaction
// starts with it (a batch may begin there), barrier that it is a QUERY the
// barrier function marks, stop an error that ends the input after it. It
// follows FORMAT_DESCRIPTION events. Events it cannot read are left to the
// workers' Readers, which report them as a single Reader would.
func (d *dispatcher) classify(raw []byte, file string, pos, next uint64, isBarrier func(*event.Event) bool) (cut, barrier bool, stop error) {
	if d.encAt != 0 {
		if file == d.encFile {
			return false, false, &Error{File: file, Offset: d.encAt, PayloadOffset: -1,
				Err: fmt.Errorf("%w: the binlog is encrypted from here on (START_ENCRYPTION_EVENT) and this Source does not decrypt it (OpenFile's does: see WithKeys)", ErrUnsupported)}
		}
		d.encAt = 0
	}
	h, err := event.ParseHeader(raw)
	if err != nil || int(h.EventSize) != len(raw) {
		return false, false, nil
	}
	body := raw[event.HeaderLen:]
	if h.Type != event.FormatDescriptionEvent && d.fd.ChecksumAlg == event.ChecksumCRC32 && len(body) >= event.ChecksumLen {
		body = body[:len(body)-event.ChecksumLen]
	}
	switch h.Type {
	case event.FormatDescriptionEvent:
		if n := event.FormatDescriptionBodyLen(body); n <= len(body) {
			if b, err := d.dec.Decode(d.fd, h.Type, body[:n]); err == nil {
				d.fd = b.(*event.FormatDescription).Clone()
			}
		}
	case event.GTIDEvent, event.AnonymousGTIDEvent, event.GTIDTaggedEvent, event.MariaGTIDEvent:
		// A cut before a GTID event is exact for consumers that keep the
		// last GTID (the SQL generator writes it in comments): after one
		// that carries a GTID, only at GTID events that carry one.
		real, ok := d.gtidCarried(h, body)
		if ok && (real || !d.gtidSeen) {
			cut = true
		}
		d.gtidSeen = d.gtidSeen || ok && real
		d.anyGTID, d.ended = true, false
	case event.QueryEvent, event.MariaQueryCompressedEvent:
		if d.anyGTID && isBarrier == nil {
			return // transactions start at GTID events: nothing to learn here
		}
		// The statement text is read in place when the event is plain;
		// the whole body is decoded only for the barrier function.
		var q *event.Query
		if text, ok := queryText(d.fd, h.Type, body); ok {
			d.q.Query = text
			q = &d.q
		} else {
			b, err := d.dec.Decode(d.fd, h.Type, body)
			if err != nil {
				d.ended = false
				return
			}
			q = b.(*event.Query)
		}
		switch q.Statement().Kind {
		case event.StatementBegin:
			// Without GTID events, a transaction starts at BEGIN.
			cut = !d.anyGTID && d.ended
			d.ended = false
		case event.StatementCommit, event.StatementRollback:
			d.ended = true
		default:
			d.ended = false
			if isBarrier != nil {
				if q == &d.q {
					b, err := d.dec.Decode(d.fd, h.Type, body)
					if err != nil {
						return
					}
					q = b.(*event.Query)
				}
				d.ev = event.Event{Raw: raw, Header: h, Body: q, Format: d.fd, File: file, Pos: pos, NextPos: next}
				barrier = isBarrier(&d.ev)
				d.ev = event.Event{}
			}
		}
	case event.XIDEvent, event.XAPrepareEvent:
		d.ended = true
	case event.MariaStartEncryptionEvent:
		// Flagged ignorable: decrypted (by the server or the Source). Else
		// the events after it are ciphertext, unless the Source reports
		// the missing key when it reads the next one.
		if h.Flags&event.FlagIgnorable == 0 {
			d.encAt, d.encFile = next, file
		}
	case event.TableMapEvent, event.TransactionPayloadEvent:
		d.ended = false
		if isBarrier != nil {
			// Undecoded: a barrier function that needs their contents
			// peeks at Raw.
			d.ev = event.Event{Raw: raw, Header: h, Format: d.fd, File: file, Pos: pos, NextPos: next}
			barrier = isBarrier(&d.ev)
			d.ev = event.Event{}
		}
	case event.RotateEvent, event.PreviousGTIDsEvent, event.StopEvent, event.MariaGTIDListEvent,
		event.MariaBinlogCheckpointEvent, event.HeartbeatEvent, event.HeartbeatEventV2:
		// Outside transactions: they change nothing of the above.
	default:
		d.ended = false
	}
	return cut, barrier, nil
}

// gtidCarried reports whether a GTID event carries a GTID (not an
// ANONYMOUS_GTID, nor a MySQL GTID with a GNO of 0 or less), reading only
// the bytes that say so; ok is false for a body too short to tell.
func (d *dispatcher) gtidCarried(h event.Header, body []byte) (real, ok bool) {
	switch h.Type {
	case event.MariaGTIDEvent:
		return true, true
	case event.AnonymousGTIDEvent:
		return false, true
	case event.GTIDEvent:
		// flags (1), SID (16), GNO (8).
		if len(body) < 25 {
			return false, false
		}
		return int64(binary.LittleEndian.Uint64(body[17:25])) > 0, true
	}
	b, err := d.dec.Decode(d.fd, h.Type, body)
	if err != nil {
		return false, false
	}
	_, real = GTIDFromEvent(b, h.ServerID)
	return real, true
}

// queryText returns the statement text of a plain QUERY event body without
// decoding its status variables; ok is false when the layout is not the
// usual one (a compressed statement, a short post-header, a bad length),
// which the decoder then handles.
func queryText(fd *event.FormatDescription, t event.Type, body []byte) ([]byte, bool) {
	if t != event.QueryEvent {
		return nil, false
	}
	phl := fd.PostHeaderLen(t, 13)
	if phl < 13 || len(body) < phl {
		return nil, false
	}
	dbLen := int(body[8])
	at := phl + int(binary.LittleEndian.Uint16(body[11:13])) + dbLen
	if at >= len(body) || body[at] != 0 {
		return nil, false
	}
	return body[at+1:], true
}
