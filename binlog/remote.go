package binlog

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mysqlproto"
)

// Defaults of DialConfig.
const (
	DefaultHeartbeatPeriod = 15 * time.Second
	DefaultMaxRetries      = 10
	DefaultRetryMinBackoff = 200 * time.Millisecond
	DefaultRetryMaxBackoff = 15 * time.Second
)

// DialConfig says how Dial connects to a server and where the stream starts.
type DialConfig struct {
	// DSN names the server in go-sql-driver/mysql syntax:
	// [user[:password]@][net[(addr)]]/[dbname][?param=value&...], e.g.
	// "repl:secret@tcp(db1:3306)/?tls=required". The user needs the
	// REPLICATION SLAVE (or REPLICA) privilege, and REPLICATION CLIENT (or
	// BINLOG MONITOR on MariaDB) for the default start and FromCurrent.
	DSN string
	// TLSConfig, when set, is the base TLS configuration (it overrides the
	// DSN's tls-ca/tls-cert/tls-key files).
	TLSConfig *tls.Config
	// ServerID is the replica's server id; it must differ from every other
	// replica's and from the server's. 0 picks a random id in [2^31, 2^32).
	ServerID uint32
	// Flavor is the server's flavor; FlavorUnknown (the zero value) detects
	// it from the server version.
	Flavor event.Flavor
	// StartFile and StartPos start the stream at a file position. An empty
	// StartFile starts at the server's oldest binlog; StartPos 0 means 4.
	StartFile string
	StartPos  uint64
	// GTIDSet, when not nil and not empty, starts after the transactions of
	// this set instead: MySQL COM_BINLOG_DUMP_GTID (uuid:1-5,…) or MariaDB's
	// GTID mode (@slave_connect_state, domain-server-seq,…). Reconnects then
	// resume by GTID set, otherwise by file position. Dial keeps a copy.
	GTIDSet *GTIDSet
	// FromCurrent starts at the server's current position (new events only).
	FromCurrent bool
	// HeartbeatPeriod is how often the server sends a heartbeat when it has
	// nothing else to send; a silence of two periods is taken for a dead
	// connection. 0 means DefaultHeartbeatPeriod; negative disables
	// heartbeats and the silence check.
	HeartbeatPeriod time.Duration
	// NonBlocking asks the server to end the stream after the last event of
	// its last binlog (BINLOG_DUMP_NON_BLOCK): ReadEvent then returns io.EOF.
	NonBlocking bool
	// SemiSync registers as a semi-synchronous replica: when the server asks
	// for an acknowledgement of an event, it is sent once the consumer has
	// accepted the event (called ReadEvent again, or Close).
	SemiSync bool
	// NoReconnect turns automatic reconnection off: a dropped connection is
	// returned as an error.
	NoReconnect bool
	// MaxRetries bounds the consecutive failed reconnection attempts after
	// one drop (0 means DefaultMaxRetries, negative means no limit).
	MaxRetries int
	// RetryMinBackoff and RetryMaxBackoff bound the wait before each
	// attempt, doubled after each failure (0 means the defaults).
	RetryMinBackoff, RetryMaxBackoff time.Duration
	// Logger receives connection and reconnection messages (nil: none).
	Logger *slog.Logger
	// MaxEventSize bounds one event (0 means DefaultMaxEventSize).
	MaxEventSize int
}

// mariaSendAnnotateRows is MariaDB's COM_BINLOG_DUMP flag
// BINLOG_SEND_ANNOTATE_ROWS_EVENT: without it the server leaves the
// ANNOTATE_ROWS events out of the stream.
const mariaSendAnnotateRows uint16 = 0x02

// Checkpoint is a transaction boundary of the stream: where a new dump
// resumes without losing or repeating a transaction.
type Checkpoint struct {
	// File and Pos are the server's binlog file and the offset just past
	// the boundary's last event.
	File string
	Pos  uint64
	// GTIDSet is the set of transactions up to the boundary: the start set
	// (DialConfig.GTIDSet, or what the PREVIOUS_GTIDS / GTID_LIST event of
	// the first file read says) plus every transaction seen since. It is nil
	// when neither is known; it belongs to the Checkpoint (a copy).
	GTIDSet *GTIDSet
}

// String returns "file:pos" and the GTID set when known.
func (c Checkpoint) String() string {
	s := c.File + ":" + strconv.FormatUint(c.Pos, 10)
	if c.GTIDSet != nil && !c.GTIDSet.IsEmpty() {
		s += " gtid " + c.GTIDSet.String()
	}
	return s
}

// Transaction-tracking states of a RemoteSource.
const (
	rtNone      = iota // between transactions
	rtAfterGTID        // after a GTID event: BEGIN or a single statement follows
	rtOpen             // inside BEGIN … COMMIT/XID
	rtStatement        // table maps and rows without BEGIN, until STMT_END_F
)

// RemoteSource reads binlog events from a server over the replication
// protocol, as a replica does. It implements Source, Positioner and
// io.Closer. ReadEvent returns each event's bytes exactly as the server sent
// them (header, body, checksum) with the packet's OK byte and any semi-sync
// prefix removed, including the artificial ROTATE and FORMAT_DESCRIPTION a
// dump starts with (flag event.FlagArtificial or log_pos 0 tell them);
// heartbeats are consumed. Calling ReadEvent again means the consumer has
// accepted the previous event: that moves the Checkpoint and sends a pending
// semi-sync acknowledgement.
//
// When the connection drops (or the server restarts) RemoteSource
// reconnects with backoff and resumes at the Checkpoint. The events of the
// transaction in progress are then delivered again from its start, after
// the new dump's artificial ROTATE and FORMAT_DESCRIPTION, so no committed
// transaction is lost or delivered twice and every rows event follows its
// Table_map. A RemoteSource is not safe for concurrent use.
type RemoteSource struct {
	cfg  DialConfig
	pcfg *mysqlproto.Config
	log  *slog.Logger
	hb   time.Duration

	c         *mysqlproto.Client
	rd        frameReader
	broken    bool // c must be replaced before the next read
	version   string
	flavor    event.Flavor
	serverAlg event.ChecksumAlg // the server's binlog_checksum
	semi      bool              // the server was asked for semi-sync
	useGTID   bool              // resume by GTID set

	// Stream position: the current file and the offset just past the last
	// event; the event last returned.
	file   string
	pos    uint64
	evFile string
	evPos  uint64
	fd     *event.FormatDescription
	alg    event.ChecksumAlg
	dec    event.Decoder

	// Transaction tracking.
	tx      int
	txGTID  GTID
	txHas   bool
	cp      Checkpoint
	cpSet   *GTIDSet
	pend    bool // the last event returned ends a transaction
	pendCP  Checkpoint
	pendG   GTID
	pendHas bool
	pendSet *GTIDSet // a PREVIOUS_GTIDS / GTID_LIST to add

	// Semi-sync acknowledgement owed once the last event is accepted.
	ack     bool
	ackFile string
	ackPos  uint64
	ackBuf  []byte

	reconnects int
	err        error
	closed     bool
}

// Dial connects to the server named by cfg.DSN, registers as a replica and
// starts a binlog dump. ctx bounds the connection and set-up; the returned
// Source reads until Close. The first connection is not retried: an
// unreachable server is an error here, while later drops are reconnected.
func Dial(ctx context.Context, cfg DialConfig) (*RemoteSource, error) {
	pcfg, err := mysqlproto.ParseDSN(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("binlog: dial: %w", err)
	}
	if cfg.TLSConfig != nil {
		pcfg.TLSConfig = cfg.TLSConfig
		if pcfg.TLSMode == mysqlproto.TLSDisabled {
			pcfg.TLSMode = mysqlproto.TLSVerifyIdentity
		}
	}
	switch cfg.Flavor {
	case event.FlavorUnknown, event.MySQL, event.MariaDB:
	default:
		return nil, fmt.Errorf("binlog: dial: unknown flavor %v (want event.MySQL or event.MariaDB)", cfg.Flavor)
	}
	useGTID := cfg.GTIDSet != nil && !cfg.GTIDSet.IsEmpty()
	if useGTID && (cfg.StartFile != "" || cfg.FromCurrent) {
		return nil, errors.New("binlog: dial: GTIDSet excludes StartFile and FromCurrent")
	}
	if cfg.FromCurrent && cfg.StartFile != "" {
		return nil, errors.New("binlog: dial: FromCurrent excludes StartFile")
	}
	if cfg.ServerID == 0 {
		cfg.ServerID = 1<<31 | rand.Uint32()
	}
	if cfg.MaxEventSize <= 0 {
		cfg.MaxEventSize = DefaultMaxEventSize
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.RetryMinBackoff <= 0 {
		cfg.RetryMinBackoff = DefaultRetryMinBackoff
	}
	if cfg.RetryMaxBackoff <= 0 {
		cfg.RetryMaxBackoff = DefaultRetryMaxBackoff
	}
	cfg.RetryMaxBackoff = max(cfg.RetryMaxBackoff, cfg.RetryMinBackoff)
	s := &RemoteSource{cfg: cfg, pcfg: pcfg, log: cfg.Logger, hb: cfg.HeartbeatPeriod}
	if s.hb == 0 {
		s.hb = DefaultHeartbeatPeriod
	}
	if useGTID {
		s.cpSet = cfg.GTIDSet.Clone()
		s.cfg.GTIDSet = nil // the source works on its own copy
		s.useGTID = true
	}
	if err := s.open(ctx, true); err != nil {
		return nil, err
	}
	return s, nil
}

// open connects, sets the session up and starts the dump: at the
// configuration's start the first time, at the checkpoint afterwards.
func (s *RemoteSource) open(ctx context.Context, first bool) error {
	c, err := mysqlproto.Connect(ctx, s.pcfg)
	if err != nil {
		return fmt.Errorf("binlog: dial: %w", err)
	}
	c.MaxPacket = s.cfg.MaxEventSize + 8
	if err := s.setup(ctx, c, first); err != nil {
		c.Close()
		return err
	}
	s.c = c
	s.broken = false
	// The dump has been asked for and the server has not answered yet:
	// nothing is buffered in c, and the stream is read by our own framing
	// (sequence ids are not checked: semi-sync ACKs restart them).
	s.rd.reset(c.Conn(), s.cfg.MaxEventSize+8)
	return nil
}

func (s *RemoteSource) setup(ctx context.Context, c *mysqlproto.Client, first bool) error {
	s.version = c.ServerVersion
	s.flavor = s.cfg.Flavor
	if s.flavor == event.FlavorUnknown {
		s.flavor = event.MySQL
		if c.IsMariaDB() {
			s.flavor = event.MariaDB
		}
	}
	mariadb := s.flavor == event.MariaDB
	res, err := c.Query(ctx, "SELECT @@global.binlog_checksum")
	s.serverAlg = event.ChecksumOff
	switch {
	case err == nil:
		if len(res.Rows) == 1 && len(res.Rows[0]) == 1 && strings.EqualFold(res.Rows[0][0].Value, "CRC32") {
			s.serverAlg = event.ChecksumCRC32
		}
		q := "SET @master_binlog_checksum = @@global.binlog_checksum"
		if !mariadb {
			q += ", @source_binlog_checksum = @@global.binlog_checksum" // MySQL 8.0.26+ names
		}
		if err := c.Exec(ctx, q); err != nil {
			return fmt.Errorf("binlog: dial: asking for checksums: %w", err)
		}
	case isServerError(err, 1193): // unknown variable: a server before checksums (5.5)
	default:
		return fmt.Errorf("binlog: dial: reading binlog_checksum: %w", err)
	}
	if s.hb > 0 {
		ns := strconv.FormatInt(s.hb.Nanoseconds(), 10)
		q := "SET @master_heartbeat_period = " + ns
		if !mariadb {
			q += ", @source_heartbeat_period = " + ns
		}
		if err := c.Exec(ctx, q); err != nil {
			return fmt.Errorf("binlog: dial: setting the heartbeat period: %w", err)
		}
	}
	if mariadb {
		// 4 = MARIA_SLAVE_CAPABILITY_GTID: GTID events, annotate rows and
		// binlog checkpoints are sent as they are.
		if err := c.Exec(ctx, "SET @mariadb_slave_capability = 4"); err != nil {
			return fmt.Errorf("binlog: dial: %w", err)
		}
	}
	s.semi = false
	if s.cfg.SemiSync {
		q := "SET @rpl_semi_sync_slave = 1"
		if !mariadb {
			q += ", @rpl_semi_sync_replica = 1" // MySQL 8.0.26+ semisync_source
		}
		if err := c.Exec(ctx, q); err != nil {
			return fmt.Errorf("binlog: dial: asking for semi-sync: %w", err)
		}
		s.semi = true
	}

	// Where to start.
	var file string
	var pos uint64
	var gtids *GTIDSet
	switch {
	case s.useGTID:
		gtids = s.cpSet
	case !first:
		file, pos = s.cp.File, s.cp.Pos
	case s.cfg.FromCurrent:
		q := "SHOW MASTER STATUS"
		if !mariadb && versionAtLeast(s.version, 8, 4) {
			q = "SHOW BINARY LOG STATUS"
		}
		res, err := c.Query(ctx, q)
		if err != nil {
			return fmt.Errorf("binlog: dial: %s: %w", q, err)
		}
		if len(res.Rows) == 0 || len(res.Rows[0]) < 2 {
			return fmt.Errorf("binlog: dial: %s returned no row: is binary logging on?", q)
		}
		file = res.Rows[0][0].Value
		if pos, err = strconv.ParseUint(res.Rows[0][1].Value, 10, 64); err != nil {
			return fmt.Errorf("binlog: dial: %s: bad position %q", q, res.Rows[0][1].Value)
		}
	case s.cfg.StartFile != "":
		file, pos = s.cfg.StartFile, max(s.cfg.StartPos, event.MagicLen)
	default:
		res, err := c.Query(ctx, "SHOW BINARY LOGS")
		if err != nil {
			return fmt.Errorf("binlog: dial: SHOW BINARY LOGS: %w", err)
		}
		if len(res.Rows) == 0 || len(res.Rows[0]) == 0 {
			return errors.New("binlog: dial: SHOW BINARY LOGS returned no file: is binary logging on?")
		}
		file, pos = res.Rows[0][0].Value, event.MagicLen
	}
	if pos > 1<<32-1 {
		return fmt.Errorf("binlog: dial: position %d does not fit COM_BINLOG_DUMP", pos)
	}
	if mariadb && gtids != nil {
		if gtids.Flavor() == event.MySQL && !gtids.IsEmpty() {
			return fmt.Errorf("binlog: dial: %q is a MySQL GTID set; MariaDB wants domain-server-seq", gtids.String())
		}
		state := gtids.String()
		if err := c.Exec(ctx, "SET @slave_connect_state = '"+state+"'"); err != nil {
			return fmt.Errorf("binlog: dial: setting the GTID state: %w", err)
		}
		if err := c.Exec(ctx, "SET @slave_gtid_strict_mode = 1"); err != nil {
			return fmt.Errorf("binlog: dial: %w", err)
		}
		if err := c.Exec(ctx, "SET @slave_gtid_ignore_duplicates = 0"); err != nil {
			return fmt.Errorf("binlog: dial: %w", err)
		}
	}
	if err := s.registerSlave(ctx, c); err != nil {
		return err
	}
	flags := uint16(0)
	if s.cfg.NonBlocking {
		flags |= mysqlproto.BinlogDumpNonBlock
	}
	if mariadb {
		flags |= mariaSendAnnotateRows
	}
	var cmd []byte
	switch {
	case gtids != nil && !mariadb:
		if gtids.Flavor() == event.MariaDB && !gtids.IsEmpty() {
			return fmt.Errorf("binlog: dial: %q is a MariaDB GTID position; MySQL wants uuid:interval sets", gtids.String())
		}
		var data []byte
		if !gtids.IsEmpty() {
			p, err := gtids.PreviousGTIDs()
			if err != nil {
				return fmt.Errorf("binlog: dial: encoding the GTID set: %w", err)
			}
			if data, err = p.AppendBody(nil, nil); err != nil {
				return fmt.Errorf("binlog: dial: encoding the GTID set: %w", err)
			}
		} else {
			data = make([]byte, 8) // n_sids = 0
		}
		flags |= mysqlproto.BinlogThroughGTID
		cmd = append(cmd, mysqlproto.ComBinlogDumpGTID)
		cmd = binary.LittleEndian.AppendUint16(cmd, flags)
		cmd = binary.LittleEndian.AppendUint32(cmd, s.cfg.ServerID)
		cmd = binary.LittleEndian.AppendUint32(cmd, 0) // file name length
		cmd = binary.LittleEndian.AppendUint64(cmd, event.MagicLen)
		cmd = binary.LittleEndian.AppendUint32(cmd, uint32(len(data)))
		cmd = append(cmd, data...)
		file, pos = "", event.MagicLen
	default:
		if gtids != nil { // MariaDB GTID mode: the file is found from the state
			file, pos = "", event.MagicLen
		}
		cmd = append(cmd, mysqlproto.ComBinlogDump)
		cmd = binary.LittleEndian.AppendUint32(cmd, uint32(pos))
		cmd = binary.LittleEndian.AppendUint16(cmd, flags)
		cmd = binary.LittleEndian.AppendUint32(cmd, s.cfg.ServerID)
		cmd = append(cmd, file...)
	}
	c.Seq = 0
	if err := c.WritePacket(cmd); err != nil {
		return fmt.Errorf("binlog: dial: sending the dump command: %w", err)
	}
	if first {
		s.cp = Checkpoint{File: file, Pos: pos}
	}
	s.file, s.pos = file, pos
	s.fd, s.alg = nil, s.serverAlg
	s.tx, s.txHas = rtNone, false
	s.pend, s.pendSet, s.ack = false, nil, false
	if s.log != nil {
		s.log.Info("binlog: dump started", "server", s.pcfg.Addr, "version", s.version, "flavor", s.flavor,
			"file", file, "pos", pos, "gtid", gtidString(gtids), "server_id", s.cfg.ServerID, "semi_sync", s.semi)
	}
	return nil
}

// registerSlave sends COM_REGISTER_SLAVE.
func (s *RemoteSource) registerSlave(ctx context.Context, c *mysqlproto.Client) error {
	b := []byte{mysqlproto.ComRegisterSlave}
	b = binary.LittleEndian.AppendUint32(b, s.cfg.ServerID)
	b = append(b, 0, 0, 0)                     // report host, user, password: empty
	b = binary.LittleEndian.AppendUint16(b, 0) // report port
	b = binary.LittleEndian.AppendUint32(b, 0) // replication rank
	b = binary.LittleEndian.AppendUint32(b, 0) // master id
	if err := s.command(ctx, c, b); err != nil {
		return fmt.Errorf("binlog: dial: registering as a replica: %w", err)
	}
	return nil
}

// command sends a command and reads its OK or ERR.
func (s *RemoteSource) command(ctx context.Context, c *mysqlproto.Client, b []byte) error {
	conn := c.Conn()
	if d, ok := ctx.Deadline(); ok {
		conn.SetDeadline(d)
		defer conn.SetDeadline(time.Time{})
	}
	c.Seq = 0
	if err := c.WritePacket(b); err != nil {
		return err
	}
	pkt, err := c.ReadPacket()
	if err != nil {
		return err
	}
	switch {
	case len(pkt) > 0 && pkt[0] == mysqlproto.ErrPacket:
		return mysqlproto.ParseError(pkt)
	case len(pkt) > 0 && pkt[0] == mysqlproto.OKPacket:
		return nil
	}
	return fmt.Errorf("unexpected reply 0x%02x", firstByteOf(pkt))
}

// ServerVersion returns the server's version string.
func (s *RemoteSource) ServerVersion() string { return s.version }

// Flavor returns the server's flavor (event.MySQL or event.MariaDB).
func (s *RemoteSource) Flavor() event.Flavor { return s.flavor }

// Reconnects returns how many times the source reconnected.
func (s *RemoteSource) Reconnects() int { return s.reconnects }

// ServerID returns the replica server id the source registers with.
func (s *RemoteSource) ServerID() uint32 { return s.cfg.ServerID }

// Position returns the server's binlog file and the offset of the first
// byte of the event last returned. An artificial event (log_pos 0) has the
// position where the stream continues; the FORMAT_DESCRIPTION is at 4.
func (s *RemoteSource) Position() (string, uint64) { return s.evFile, s.evPos }

// Checkpoint returns the last transaction boundary the consumer accepted.
// Asking for it accepts the event last returned (as calling ReadEvent
// again does, see RemoteSource): a consumer that has handled a
// transaction's last event saves a Checkpoint after it, and resuming from
// that Checkpoint delivers the next transaction, not the same one again.
// Before any event, it is where the stream started.
func (s *RemoteSource) Checkpoint() Checkpoint {
	if !s.closed {
		s.accept()
	}
	cp := s.cp
	if s.cpSet != nil && !s.cpSet.IsEmpty() {
		cp.GTIDSet = s.cpSet.Clone()
	}
	return cp
}

// SetMaxEventSize bounds one event (a Reader created with WithMaxEventSize
// calls it).
func (s *RemoteSource) SetMaxEventSize(n int) {
	if n <= 0 {
		n = DefaultMaxEventSize
	}
	s.cfg.MaxEventSize = n
	if s.c != nil {
		s.c.MaxPacket = n + 8
		s.rd.limit = n + 8
	}
}

// Close accepts the event last returned (sending its semi-sync
// acknowledgement if one is owed) and closes the connection.
func (s *RemoteSource) Close() error {
	if s.closed {
		return nil
	}
	s.accept()
	s.closed = true
	if s.err == nil {
		s.err = errClosed
	}
	if s.c != nil {
		err := s.c.Close()
		s.c = nil
		return err
	}
	return nil
}

var errClosed = errors.New("binlog: remote source closed")

// accept records that the consumer took the event last returned.
func (s *RemoteSource) accept() {
	if s.pendSet != nil {
		if s.cpSet == nil {
			s.cpSet = s.pendSet
		} else if s.cpSet.Flavor() == s.pendSet.Flavor() || s.cpSet.IsEmpty() {
			s.cpSet.AddSet(s.pendSet)
		}
		s.pendSet = nil
	}
	if s.pend {
		s.pend = false
		s.cp = s.pendCP
		if s.pendHas {
			if s.cpSet == nil {
				s.cpSet = new(GTIDSet)
			}
			s.cpSet.Add(s.pendG)
		}
	}
	if s.ack {
		s.ack = false
		if s.c != nil && !s.broken {
			s.sendACK()
		}
	}
}

// sendACK sends the semi-sync acknowledgement: 0xef, the position just past
// the acknowledged event and its file name, as a new command.
func (s *RemoteSource) sendACK() {
	b := append(s.ackBuf[:0], mysqlproto.SemiSyncIndicator)
	b = binary.LittleEndian.AppendUint64(b, s.ackPos)
	b = append(b, s.ackFile...)
	s.ackBuf = b
	s.c.Seq = 0
	conn := s.c.Conn()
	conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	err := s.c.WritePacket(b)
	conn.SetWriteDeadline(time.Time{})
	if err != nil {
		s.broken = true
		if s.log != nil {
			s.log.Warn("binlog: sending the semi-sync ACK failed", "file", s.ackFile, "pos", s.ackPos, "err", err)
		}
	}
}

// ReadEvent returns the next event. See RemoteSource.
func (s *RemoteSource) ReadEvent(ctx context.Context) ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	s.accept()
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if s.c == nil || s.broken {
			if err := s.reconnect(ctx, errors.New("connection unusable")); err != nil {
				return nil, err
			}
		}
		pkt, err := s.readPacket(ctx)
		if err != nil {
			if ctx.Err() != nil {
				// The read was interrupted, maybe inside a packet: the next
				// call starts again from the checkpoint.
				s.broken = true
				return nil, ctx.Err()
			}
			if !retryable(err) {
				return nil, s.fail(fmt.Errorf("binlog: reading from %s: %w", s.pcfg.Addr, err))
			}
			if err := s.reconnect(ctx, err); err != nil {
				return nil, err
			}
			continue
		}
		if len(pkt) == 0 {
			return nil, s.fail(fmt.Errorf("binlog: %s sent an empty packet", s.pcfg.Addr))
		}
		switch pkt[0] {
		case mysqlproto.OKPacket:
		case mysqlproto.EOFPacket:
			if len(pkt) < 9 {
				if s.cfg.NonBlocking {
					// The end of the last binlog in non-blocking mode.
					return nil, s.fail(io.EOF)
				}
				// A blocking dump ends only when the server stops it (a
				// shutdown): resume at the checkpoint once it is back.
				if err := s.reconnect(ctx, errors.New("the server ended the dump (shutdown?)")); err != nil {
					return nil, err
				}
				continue
			}
		case mysqlproto.ErrPacket:
			se := mysqlproto.ParseError(pkt)
			if retryable(se) {
				if err := s.reconnect(ctx, se); err != nil {
					return nil, err
				}
				continue
			}
			return nil, s.fail(fmt.Errorf("binlog: %s stopped the dump at %s:%d: %w", s.pcfg.Addr, s.file, s.pos, se))
		default:
			return nil, s.fail(fmt.Errorf("binlog: %s sent an unexpected packet 0x%02x in the dump", s.pcfg.Addr, pkt[0]))
		}
		raw := pkt[1:]
		needACK := false
		if s.semi && len(raw) >= 2 && raw[0] == mysqlproto.SemiSyncIndicator {
			needACK = raw[1]&mysqlproto.SemiSyncNeedACK != 0
			raw = raw[2:]
		}
		ok, err := s.event(raw)
		if err != nil {
			return nil, s.fail(err)
		}
		if !ok {
			continue // a heartbeat
		}
		if needACK {
			s.ack, s.ackFile, s.ackPos = true, s.evFile, s.evPos+uint64(len(raw))
		}
		return raw[:len(raw):len(raw)], nil
	}
}

func (s *RemoteSource) fail(err error) error {
	s.err = err
	return err
}

// readPacket reads one packet under the heartbeat deadline and ctx.
func (s *RemoteSource) readPacket(ctx context.Context) ([]byte, error) {
	conn := s.c.Conn()
	if s.hb > 0 {
		conn.SetReadDeadline(time.Now().Add(2 * s.hb))
	}
	var stop func() bool
	if ctx.Done() != nil {
		stop = context.AfterFunc(ctx, func() { conn.SetReadDeadline(time.Unix(1, 0)) })
	}
	pkt, err := s.rd.next()
	if stop != nil && !stop() && err == nil {
		// ctx ended just as the packet arrived: keep it, clear the deadline.
		conn.SetReadDeadline(time.Time{})
	}
	return pkt, err
}
