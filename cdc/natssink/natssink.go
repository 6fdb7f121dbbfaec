// Package natssink publishes the changes of a cdc.Stream to NATS JetStream:
// one message per change on the subject PREFIX.db.table, the Debezium
// envelope as its data (the key in a header too with Config.KeyHeader), and
// the checkpoint in a JetStream key-value bucket, stored only once every
// message before it is acknowledged (at most every Config.Interval, and by
// a timer when the stream goes quiet).
//
// Publishing is asynchronous, within a bounded window of unacknowledged
// messages. Each message also carries the stream sequence it must follow
// (Nats-Expected-Last-Sequence, predicted from the acknowledgements), so
// the stream stores the messages in the order of their changes even when
// a publish fails and later ones would not (a leader election, a lost
// connection): those are refused, and the sink publishes the window again,
// one message at a time, until the stream is in step. A stream must
// therefore have one Sink publishing to it at a time. Each message carries a Nats-Msg-Id derived
// from its change's source position (cdc.AppendID), so the messages that a
// Stream resumed from the stored checkpoint delivers again after a crash
// are dropped by the stream's deduplication, as long as the restart comes
// within the stream's duplicate window (Config.Duplicates, set when the
// sink creates the stream; the server keeps every message id of the window
// in memory). A failed publish is retried that way until
// Config.RetryTimeout.
package natssink

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/binlogkit/binlogkit/cdc"
)

// Defaults of Config.
const (
	DefaultSubjectPrefix = "cdc"
	DefaultWindow        = 8192
	DefaultDuplicates    = 20 * time.Minute
	DefaultRetryTimeout  = 2 * time.Minute
	DefaultAckTimeout    = 10 * time.Second
)

// HeaderKey is the header that carries a message's key (Encoder.AppendKey:
// the key columns as a JSON object) with Config.KeyHeader, besides
// Nats-Msg-Id (cdc.AppendID) and Nats-Expected-Last-Sequence.
const HeaderKey = "Cdc-Key"

// Config configures a Sink.
type Config struct {
	// Stream is the JetStream stream's name; it is created when missing,
	// capturing SubjectPrefix.>.
	Stream string
	// SubjectPrefix starts every subject: PREFIX.db.table (""
	// DefaultSubjectPrefix). Characters of database and table names that
	// subjects do not allow (".", "*", ">", white space) become "_".
	SubjectPrefix string
	// Encoder writes the messages (nil: payload-only envelopes, Name
	// SubjectPrefix).
	Encoder *cdc.Encoder
	// KeyHeader adds the message key (the key columns as a JSON object) as
	// the header Cdc-Key. It costs the server about a fifth of its work per
	// message; the key is in the envelope's before and after anyway.
	KeyHeader bool
	// Window is the number of messages published and not yet acknowledged
	// at most (0: DefaultWindow).
	Window int
	// Bucket and Key name where the checkpoint is stored: a key-value
	// bucket, created when missing ("" means Stream+"_checkpoints"), and the
	// key in it ("" means "checkpoint").
	Bucket, Key string
	// Interval is how often, at most, the checkpoint is stored (0:
	// cdc.DefaultCheckpointInterval).
	Interval time.Duration
	// Replicas, MemoryStorage and Duplicates are used when the sink creates
	// the stream and the bucket (0 replicas: 1; file storage by default;
	// Duplicates 0: DefaultDuplicates).
	Replicas      int
	MemoryStorage bool
	Duplicates    time.Duration
	// AckTimeout bounds the wait for one acknowledgement (0:
	// DefaultAckTimeout); RetryTimeout bounds the retries of failed
	// publishes (0: DefaultRetryTimeout).
	AckTimeout, RetryTimeout time.Duration
}

// Sink is a cdc.Sink publishing to NATS JetStream. Its methods are safe for
// concurrent use (a timer of its own stores the checkpoint of a stream
// gone quiet), though a Stream feeds it from one goroutine. Close stops the
// timer.
type Sink struct {
	mu     sync.Mutex // Write, Commit and Flush against the ticker
	stop   chan struct{}
	done   chan struct{}
	cfg    Config
	js     jetstream.JetStream
	kv     jetstream.KeyValue
	enc    *cdc.Encoder
	prefix string

	// The window: messages published and not yet acknowledged, oldest
	// first (a ring indexed by publish number). Each slot keeps its
	// message and buffers for reuse.
	nc        *nats.Conn
	ring      []slot
	head, n   int
	nextNo    uint64   // number of the next asynchronous publish
	inbox     string   // replies come to inbox.SLOT
	replies   []string // inbox.SLOT for each slot of the ring
	acks      chan *nats.Msg
	ackSub    *nats.Subscription
	timer     *time.Timer
	subjects  map[[2]string]string
	published uint64 // messages published so far
	acked     uint64 // every message before this count is acknowledged

	pendingCP   cdc.Checkpoint
	pending     *cdc.Checkpoint // the last checkpoint committed
	pendingAt   uint64          // messages published before it
	lastStore   time.Time
	stored      uint64 // publishes covered by the last stored checkpoint
	duplicates  uint64
	err         error // sticky: from the timer
	synced      bool  // expect is the stream's last sequence before the next publish
	expect      uint64
	retries     int
	lastErr     error // the failure that made the sink publish its window again
	subj, key   []byte
	id, payload []byte
}

// slot is one message of the window.
type slot struct {
	no    uint64 // publish number
	msg   *nats.Msg
	sent  time.Time
	state uint8 // slotPending, slotOK, slotFailed
	dup   bool
	err   error
}

const (
	slotPending uint8 = iota
	slotOK
	slotFailed
)

// New connects a Sink to JetStream over nc, creating the stream and the
// bucket when they are missing.
func New(ctx context.Context, nc *nats.Conn, cfg Config) (*Sink, error) {
	if cfg.Stream == "" {
		return nil, errors.New("natssink: no stream name")
	}
	if cfg.SubjectPrefix == "" {
		cfg.SubjectPrefix = DefaultSubjectPrefix
	}
	if cfg.Window <= 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.Bucket == "" {
		cfg.Bucket = cfg.Stream + "_checkpoints"
	}
	if cfg.Key == "" {
		cfg.Key = "checkpoint"
	}
	if cfg.Interval <= 0 {
		cfg.Interval = cdc.DefaultCheckpointInterval
	}
	if cfg.Replicas <= 0 {
		cfg.Replicas = 1
	}
	if cfg.Duplicates <= 0 {
		cfg.Duplicates = DefaultDuplicates
	}
	if cfg.AckTimeout <= 0 {
		cfg.AckTimeout = DefaultAckTimeout
	}
	if cfg.RetryTimeout <= 0 {
		cfg.RetryTimeout = DefaultRetryTimeout
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("natssink: %w", err)
	}
	storage := jetstream.FileStorage
	if cfg.MemoryStorage {
		storage = jetstream.MemoryStorage
	}
	if _, err := js.Stream(ctx, cfg.Stream); errors.Is(err, jetstream.ErrStreamNotFound) {
		_, err = js.CreateStream(ctx, jetstream.StreamConfig{
			Name: cfg.Stream, Subjects: []string{cfg.SubjectPrefix + ".>"}, Storage: storage,
			Replicas: cfg.Replicas, Duplicates: cfg.Duplicates,
		})
		if err != nil && !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			return nil, fmt.Errorf("natssink: creating stream %s: %w", cfg.Stream, err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("natssink: stream %s: %w", cfg.Stream, err)
	}
	kv, err := js.KeyValue(ctx, cfg.Bucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		kv, err = js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: cfg.Bucket, Storage: storage, Replicas: cfg.Replicas, History: 1})
		if errors.Is(err, jetstream.ErrBucketExists) {
			kv, err = js.KeyValue(ctx, cfg.Bucket)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("natssink: checkpoint bucket %s: %w", cfg.Bucket, err)
	}
	enc := cfg.Encoder
	if enc == nil {
		enc = &cdc.Encoder{Name: cfg.SubjectPrefix}
	}
	s := &Sink{cfg: cfg, js: js, kv: kv, enc: enc, prefix: cfg.SubjectPrefix, nc: nc, ring: make([]slot, cfg.Window),
		stop: make(chan struct{}), done: make(chan struct{}), subjects: map[[2]string]string{},
		acks: make(chan *nats.Msg, 2*cfg.Window+64)}
	if err := s.subscribe(); err != nil {
		return nil, err
	}
	go s.tick()
	return s, nil
}

// subscribe opens a new inbox for the acknowledgements of asynchronous
// publishes: one subscription, replies addressed by ring slot. A new inbox
// after a failure leaves the late replies of the old one unheard.
func (s *Sink) subscribe() error {
	if s.ackSub != nil {
		s.ackSub.Unsubscribe()
	drain:
		for {
			select {
			case <-s.acks:
			default:
				break drain
			}
		}
	}
	s.inbox = s.nc.NewRespInbox()
	if s.replies == nil {
		s.replies = make([]string, len(s.ring))
	}
	for i := range s.replies {
		s.replies[i] = s.inbox + "." + strconv.Itoa(i)
	}
	var err error
	if s.ackSub, err = s.nc.ChanSubscribe(s.inbox+".*", s.acks); err != nil {
		return fmt.Errorf("natssink: %w", err)
	}
	s.ackSub.SetPendingLimits(-1, -1)
	return nil
}

// tick stores the checkpoint of a stream gone quiet: every Interval, the
// acknowledgements that arrived are taken and a pending checkpoint they
// cover is stored.
func (s *Sink) tick() {
	defer close(s.done)
	t := time.NewTicker(s.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mu.Lock()
			if s.pending != nil && s.err == nil {
				ctx, cancel := context.WithTimeout(context.Background(), s.cfg.AckTimeout)
				if err := s.reap(ctx, false); err != nil {
					s.err = err
				}
				cancel()
			}
			s.mu.Unlock()
		}
	}
}

// Close stops the sink's timer (it does not flush: see Flush). The
// connection is the caller's.
func (s *Sink) Close() error {
	select {
	case <-s.stop:
	default:
		close(s.stop)
		<-s.done
		s.ackSub.Unsubscribe()
	}
	return nil
}

// Checkpoint returns the checkpoint stored in the bucket, nil when none was
// stored (a first run).
func (s *Sink) Checkpoint(ctx context.Context) (*cdc.Checkpoint, error) {
	e, err := s.kv.Get(ctx, s.cfg.Key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("natssink: reading the checkpoint: %w", err)
	}
	cp, err := cdc.ParseCheckpoint(e.Value())
	if err != nil {
		return nil, fmt.Errorf("natssink: bucket %s key %s: %w", s.cfg.Bucket, s.cfg.Key, err)
	}
	return &cp, nil
}

// Subject appends the subject of a change of db.table.
func (s *Sink) Subject(dst []byte, db, table string) []byte {
	dst = append(dst, s.prefix...)
	dst = append(dst, '.')
	dst = appendToken(dst, db)
	dst = append(dst, '.')
	return appendToken(dst, table)
}

func appendToken(dst []byte, s string) []byte {
	if s == "" {
		return append(dst, '_')
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '.', '*', '>', ' ', '\t', '\r', '\n':
			c = '_'
		}
		dst = append(dst, c)
	}
	return dst
}

// Write implements cdc.Sink: it publishes the change, waiting first for the
// oldest acknowledgement when the window is full.
func (s *Sink) Write(ctx context.Context, c *cdc.Change) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	var err error
	if s.payload, err = s.enc.AppendValue(s.payload[:0], c); err != nil {
		return err
	}
	if s.cfg.KeyHeader {
		if s.key, err = s.enc.AppendKey(s.key[:0], c); err != nil {
			return err
		}
	}
	if s.id, err = cdc.AppendID(s.id[:0], c); err != nil {
		return err
	}
	subject, ok := s.subjects[[2]string{c.Database, c.Table}]
	if !ok {
		subject = string(s.Subject(nil, c.Database, c.Table))
		s.subjects[[2]string{c.Database, c.Table}] = subject
	}
	if err := s.reap(ctx, s.n == len(s.ring)); err != nil {
		return err
	}
	var msg *nats.Msg
	if s.synced {
		// Reuse the slot's message: it was acknowledged.
		sl := &s.ring[(s.head+s.n)%len(s.ring)]
		msg = sl.msg
	}
	if msg == nil {
		msg = &nats.Msg{Header: nats.Header{jetstream.MsgIDHeader: {""}}}
		if s.cfg.KeyHeader {
			msg.Header[HeaderKey] = []string{""}
		}
	}
	msg.Subject = subject
	msg.Data = append(msg.Data[:0], s.payload...)
	msg.Header[jetstream.MsgIDHeader][0] = string(s.id)
	if s.cfg.KeyHeader {
		msg.Header[HeaderKey][0] = string(s.key)
	}
	if !s.synced {
		// The stream's last sequence is not known (the first message, or
		// after a failure): publish and wait for the acknowledgement.
		return s.publishSync(ctx, msg, time.Now().Add(s.cfg.RetryTimeout))
	}
	// The stream stores the message only as the one after the sequence
	// predicted for it: once a publish fails, the later ones in flight are
	// refused rather than stored out of order.
	if v := msg.Header[jetstream.ExpectedLastSeqHeader]; v != nil {
		v[0] = strconv.FormatUint(s.expect, 10)
	} else {
		msg.Header[jetstream.ExpectedLastSeqHeader] = []string{strconv.FormatUint(s.expect, 10)}
	}
	s.expect++
	return s.publish(msg)
}

// publishSync publishes msg without an expected sequence and waits for its
// acknowledgement, retrying until deadline; it leaves the sink synced,
// knowing the stream's last sequence.
func (s *Sink) publishSync(ctx context.Context, msg *nats.Msg, deadline time.Time) error {
	delete(msg.Header, jetstream.ExpectedLastSeqHeader)
	backoff := 50 * time.Millisecond
	for {
		actx, cancel := context.WithTimeout(ctx, s.cfg.AckTimeout)
		ack, err := s.js.PublishMsg(actx, msg)
		cancel()
		if err == nil {
			s.published++
			s.acked++
			if ack.Duplicate {
				// Stored before (a restart from an older checkpoint):
				// the stream may hold later ones, so stay in step.
				s.duplicates++
				s.synced = false
			} else {
				// Every message before this one is stored, so the
				// stream's last sequence is this one's.
				s.synced, s.expect = true, ack.Sequence
			}
			return s.maybeStore(ctx)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Now().After(deadline) {
			if s.lastErr != nil {
				err = fmt.Errorf("%w (the first failure: %v)", err, s.lastErr)
			}
			return fmt.Errorf("natssink: publishing to stream %s failed for %v: %w", s.cfg.Stream, s.cfg.RetryTimeout, err)
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return ctx.Err()
		}
		backoff = min(2*backoff, time.Second)
	}
}

func (s *Sink) publish(msg *nats.Msg) error {
	no := s.nextNo
	s.nextNo++
	i := (s.head + s.n) % len(s.ring)
	msg.Reply = s.replies[i]
	sl := &s.ring[i]
	*sl = slot{no: no, msg: msg, sent: time.Now()}
	s.n++
	s.published++
	if err := s.nc.PublishMsg(msg); err != nil {
		sl.state, sl.err = slotFailed, err
	}
	return nil
}

// take records the acknowledgements that have arrived.
func (s *Sink) take(m *nats.Msg) {
	if !strings.HasPrefix(m.Subject, s.inbox) || len(m.Subject) <= len(s.inbox)+1 {
		return // a reply to an inbox given up
	}
	i, err := strconv.Atoi(m.Subject[len(s.inbox)+1:])
	if err != nil || i < 0 || i >= len(s.ring) {
		return
	}
	sl := &s.ring[i]
	if sl.msg == nil || sl.state != slotPending || (i-s.head+len(s.ring))%len(s.ring) >= s.n {
		return // not in the window
	}
	if len(m.Data) == 0 && m.Header.Get("Status") != "" {
		sl.state, sl.err = slotFailed, fmt.Errorf("natssink: status %s %s", m.Header.Get("Status"), m.Header.Get("Description"))
		return
	}
	_, dup, err := parsePubAck(m.Data)
	if err != nil {
		sl.state, sl.err = slotFailed, err
		return
	}
	sl.state, sl.dup = slotOK, dup
}

// parsePubAck reads JetStream's publish acknowledgement:
// {"stream":"S","seq":N[,"duplicate":true]} or {"error":{…}}.
func parsePubAck(b []byte) (seq uint64, dup bool, err error) {
	if i := bytes.Index(b, []byte(`"error"`)); i >= 0 {
		desc := b[i:]
		if j := bytes.Index(desc, []byte(`"description":"`)); j >= 0 {
			desc = desc[j+15:]
			if k := bytes.IndexByte(desc, '"'); k >= 0 {
				desc = desc[:k]
			}
		}
		return 0, false, fmt.Errorf("natssink: the stream refused a message: %s", desc)
	}
	i := bytes.Index(b, []byte(`"seq":`))
	if i < 0 {
		return 0, false, fmt.Errorf("natssink: an acknowledgement without a sequence: %q", b)
	}
	for _, c := range bytes.TrimLeft(b[i+6:], " ") {
		if c < '0' || c > '9' {
			break
		}
		seq = seq*10 + uint64(c-'0')
	}
	if j := bytes.Index(b, []byte(`"duplicate"`)); j >= 0 {
		dup = bytes.HasPrefix(bytes.TrimLeft(b[j+11:], " :"), []byte("true"))
	}
	return seq, dup, nil
}

// reap takes the acknowledgements that have arrived, oldest first; with
// wait, it waits for the oldest one at least. A failed publish (an error
// reply, or no reply within AckTimeout) is retried with every message
// after it.
func (s *Sink) reap(ctx context.Context, wait bool) error {
	for s.n > 0 {
		// Drain what has arrived.
	drain:
		for {
			select {
			case m := <-s.acks:
				s.take(m)
			default:
				break drain
			}
		}
		sl := &s.ring[s.head]
		switch sl.state {
		case slotOK:
			if sl.dup {
				s.duplicates++
			}
			sl.state = slotPending
			s.head = (s.head + 1) % len(s.ring)
			s.n--
			s.acked++
			wait = false
			continue
		case slotFailed:
			if err := s.retry(ctx, sl.err); err != nil {
				return err
			}
			continue
		}
		late := time.Since(sl.sent)
		if late >= s.cfg.AckTimeout {
			sl.state, sl.err = slotFailed, fmt.Errorf("natssink: no acknowledgement within %v", s.cfg.AckTimeout)
			continue
		}
		if !wait {
			break
		}
		if s.timer == nil {
			s.timer = time.NewTimer(s.cfg.AckTimeout - late)
		} else {
			s.timer.Reset(s.cfg.AckTimeout - late)
		}
		select {
		case m := <-s.acks:
			s.take(m)
		case <-s.timer.C:
		case <-ctx.Done():
			s.timer.Stop()
			return ctx.Err()
		}
		s.timer.Stop()
	}
	return s.maybeStore(ctx)
}

// retry handles the failure of the oldest publish of the window: it waits
// for every publish of the window to end (acknowledged, refused or timed
// out), then publishes the messages again one at a time, in order, waiting
// for each acknowledgement. The messages the stream stored are a prefix of
// the window (each carried the sequence of the one before it), so those
// come back as duplicates, and the others are stored in order.
func (s *Sink) retry(ctx context.Context, cause error) error {
	s.lastErr = cause
	deadline := time.Now().Add(s.cfg.RetryTimeout)
	end := time.Now().Add(s.cfg.AckTimeout)
	for time.Now().Before(end) && s.pendingAfterHead() {
		select {
		case m := <-s.acks:
			s.take(m)
		case <-time.After(10 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	msgs := make([]*nats.Msg, 0, s.n)
	for i := 0; i < s.n; i++ {
		sl := &s.ring[(s.head+i)%len(s.ring)]
		msgs = append(msgs, sl.msg)
		*sl = slot{}
	}
	s.n, s.published, s.synced = 0, s.published-uint64(len(msgs)), false
	s.retries++
	if err := s.subscribe(); err != nil {
		return err
	}
	for _, m := range msgs {
		m.Reply = ""
		if err := s.publishSync(ctx, m, deadline); err != nil {
			return err
		}
	}
	return nil
}

func (s *Sink) pendingAfterHead() bool {
	for i := 1; i < s.n; i++ {
		if s.ring[(s.head+i)%len(s.ring)].state == slotPending {
			return true
		}
	}
	return false
}

// Commit implements cdc.Sink: the checkpoint is stored once every message
// published before it is acknowledged, at most every Interval.
func (s *Sink) Commit(ctx context.Context, cp *cdc.Checkpoint) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.pendingCP = *cp
	s.pending, s.pendingAt = &s.pendingCP, s.published
	return s.reap(ctx, false)
}

func (s *Sink) maybeStore(ctx context.Context) error {
	if s.pending == nil || s.acked < s.pendingAt || time.Since(s.lastStore) < s.cfg.Interval {
		return nil
	}
	return s.store(ctx)
}

func (s *Sink) store(ctx context.Context) error {
	if s.pending == nil {
		return nil
	}
	deadline := time.Now().Add(s.cfg.RetryTimeout)
	backoff := 50 * time.Millisecond
	for {
		pctx, cancel := context.WithTimeout(ctx, s.cfg.AckTimeout)
		_, err := s.kv.Put(pctx, s.cfg.Key, s.pending.Marshal())
		cancel()
		if err == nil {
			break
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			return fmt.Errorf("natssink: storing the checkpoint in bucket %s: %w", s.cfg.Bucket, err)
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return ctx.Err()
		}
		backoff = min(2*backoff, time.Second)
	}
	s.stored = s.pendingAt
	s.pending, s.lastStore = nil, time.Now()
	return nil
}

// Flush implements cdc.Sink: it waits for every acknowledgement and stores
// the last checkpoint.
func (s *Sink) Flush(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	for s.n > 0 {
		if err := s.reap(ctx, true); err != nil {
			return err
		}
	}
	return s.store(ctx)
}

// Stats reports the messages published and acknowledged, how many of them
// the stream found to be duplicates, and how many times a failed publish
// made the sink publish its window again.
func (s *Sink) Stats() (published, acked, duplicates uint64, retries int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.published, s.acked, s.duplicates, s.retries
}

// SubjectFilter returns the subject filter of the changes of the tables
// of pattern db.table ("*" wildcards per token), for consumers.
func SubjectFilter(prefix, db, table string) string {
	tok := func(s string) string {
		if s == "*" {
			return s
		}
		return string(appendToken(nil, s))
	}
	return strings.Join([]string{prefix, tok(db), tok(table)}, ".")
}
