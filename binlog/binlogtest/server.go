package binlogtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mysqlproto"
)

// File is one binlog file a Server serves: its name as the server reports
// it and its bytes, starting with the "\xfebin" magic.
type File struct {
	Name string
	Data []byte
}

// ReadFiles reads binlog files from disk, named by their base names. Gzip,
// lz4 and zstd-compressed files are decompressed.
func ReadFiles(paths ...string) ([]File, error) {
	var out []File
	for _, p := range paths {
		src, err := binlog.OpenFile(p)
		if err != nil {
			return nil, err
		}
		f, err := SourceFile(filepath.Base(p), src)
		src.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// SourceFile reads every event of src into a File named name, so that any
// Source (a fabricated stream, a file, a backup directory) can be served.
func SourceFile(name string, src binlog.Source) (File, error) {
	data := append([]byte(nil), event.Magic[:]...)
	for {
		raw, err := src.ReadEvent(context.Background())
		if err == io.EOF {
			return File{Name: name, Data: data}, nil
		}
		if err != nil {
			return File{}, err
		}
		data = append(data, raw...)
	}
}

// Config configures a Server. The zero value serves on a random loopback
// port, as MariaDB 10.11, to user root without a password.
type Config struct {
	// Addr is the listen address; default "127.0.0.1:0".
	Addr string
	// User and Password are the account replicas log in with; default
	// user "root", empty password.
	User, Password string
	// ServerID is the primary's server id; default 1.
	ServerID uint32
	// Version is the version string of the handshake and of SELECT
	// @@version; default "10.11.99-MariaDB-binlogtest-log". A version
	// without "MariaDB" makes the server answer as MySQL.
	Version string
	// HeartbeatPeriod is the heartbeat period when the replica does not set
	// @master_heartbeat_period; default 1 s.
	HeartbeatPeriod time.Duration
	// Logger receives a line per connection, command and unknown query;
	// default none.
	Logger *slog.Logger
}

// Server is a fake replication primary. Its methods are safe for concurrent
// use.
type Server struct {
	cfg Config
	ln  net.Listener

	mu      sync.Mutex
	files   []*served
	changed chan struct{} // closed and replaced when files change
	conns   map[net.Conn]struct{}
	queries []string
	closed  bool
	nextID  uint32
	wg      sync.WaitGroup
}

type served struct {
	name string
	data []byte // grows by Append; bytes before len never change
}

// NewServer starts a Server serving files (more may be added later). Close
// it when done.
func NewServer(cfg Config, files ...File) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.User == "" {
		cfg.User = "root"
	}
	if cfg.ServerID == 0 {
		cfg.ServerID = 1
	}
	if cfg.Version == "" {
		cfg.Version = "10.11.99-MariaDB-binlogtest-log"
	}
	if cfg.HeartbeatPeriod <= 0 {
		cfg.HeartbeatPeriod = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{cfg: cfg, changed: make(chan struct{}), conns: map[net.Conn]struct{}{}}
	for _, f := range files {
		if err := s.AddFile(f); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, err
	}
	s.ln = ln
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Addr returns the address the server listens on, host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// DSN returns a data source name in go-sql-driver/mysql syntax for the
// server's account, as binlog.Dial takes it.
func (s *Server) DSN() string {
	up := s.cfg.User
	if s.cfg.Password != "" {
		up += ":" + s.cfg.Password
	}
	return up + "@tcp(" + s.Addr() + ")/"
}

// AddFile appends a file to the served list. Replicas waiting at the end of
// the previous file receive a ROTATE to it.
func (s *Server) AddFile(f File) error {
	if !bytes.HasPrefix(f.Data, event.Magic[:]) {
		return fmt.Errorf("binlogtest: %s does not start with the binlog magic", f.Name)
	}
	if f.Name == "" {
		return errors.New("binlogtest: a file needs a name")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files = append(s.files, &served{name: f.Name, data: bytes.Clone(f.Data)})
	s.notifyLocked()
	return nil
}

// Append adds whole events (sizes and end_log_pos consistent with the file)
// to the last file; replicas waiting at its end receive them.
func (s *Server) Append(events []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.files) == 0 {
		return errors.New("binlogtest: no file to append to")
	}
	f := s.files[len(s.files)-1]
	f.data = append(f.data[:len(f.data):len(f.data)], events...)
	s.notifyLocked()
	return nil
}

func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Queries returns the queries the server received, in order.
func (s *Server) Queries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.queries...)
}

// DropConnections closes every client connection, as a primary that crashed
// or a network that failed would; the server goes on accepting new ones.
func (s *Server) DropConnections() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
}

// Close stops listening, closes every connection and waits for the
// server's goroutines.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.notifyLocked()
	s.mu.Unlock()
	err := s.ln.Close()
	s.wg.Wait()
	return err
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.nextID++
		id := s.nextID
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				c.Close()
			}()
			cs := &session{s: s, pc: mysqlproto.NewPacketConn(c), id: id, log: s.cfg.Logger.With("conn", id)}
			if err := cs.serve(); err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				cs.log.Info("connection ended", "err", err)
			}
		}()
	}
}

func (s *Server) mariadb() bool { return strings.Contains(s.cfg.Version, "MariaDB") }

// session is one client connection.
type session struct {
	s    *Server
	pc   *mysqlproto.PacketConn
	id   uint32
	log  *slog.Logger
	vars map[string]string // user variables set with SET @name = value
}

func (cs *session) serve() error {
	resp, err := mysqlproto.ServerHandshake(cs.pc, mysqlproto.ServerAuth{
		Version: cs.s.cfg.Version, ConnectionID: cs.id, User: cs.s.cfg.User, Password: cs.s.cfg.Password,
	})
	if err != nil {
		return err
	}
	cs.log.Info("connected", "user", resp.User)
	cs.vars = map[string]string{}
	for {
		cs.pc.Seq = 0
		b, err := cs.pc.ReadPacket()
		if err != nil {
			return err
		}
		if len(b) == 0 {
			return errors.New("empty command packet")
		}
		cmd, arg := b[0], bytes.Clone(b[1:])
		switch cmd {
		case mysqlproto.ComQuit:
			return io.EOF
		case mysqlproto.ComPing, mysqlproto.ComInitDB, mysqlproto.ComRegisterSlave, mysqlproto.ComResetConnection:
			err = cs.ok()
		case mysqlproto.ComQuery:
			err = cs.query(string(arg))
		case mysqlproto.ComBinlogDump:
			err = cs.dump(arg, false)
			if err == nil {
				return io.EOF
			}
		case mysqlproto.ComBinlogDumpGTID:
			err = cs.dump(arg, true)
			if err == nil {
				return io.EOF
			}
		default:
			err = cs.fail(1047, "08S01", fmt.Sprintf("Unknown command %d", cmd))
		}
		if err != nil {
			return err
		}
	}
}

func (cs *session) ok() error { return cs.pc.WritePacket(mysqlproto.AppendOK(nil, 0, 0, 0x0002)) }

func (cs *session) fail(code uint16, state, msg string) error {
	return cs.pc.WritePacket(mysqlproto.AppendError(nil, code, state, msg))
}

func (cs *session) result(cols []string, rows ...[]string) error {
	rr := make([][]*string, len(rows))
	for i, r := range rows {
		rr[i] = make([]*string, len(r))
		for j := range r {
			rr[i][j] = &r[j]
		}
	}
	return mysqlproto.WriteResultSet(cs.pc, cols, rr)
}

// variable returns a server variable's value, or false when the fake
// primary does not know it.
func (cs *session) variable(name string) (string, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, p := range []string{"global.", "session.", "local."} {
		name = strings.TrimPrefix(name, p)
	}
	s := cs.s
	switch name {
	case "version":
		return s.cfg.Version, true
	case "version_comment":
		return "binlogkit binlogtest fake primary", true
	case "server_id":
		return strconv.FormatUint(uint64(s.cfg.ServerID), 10), true
	case "server_uuid":
		return "0b1d0b1d-0000-4000-8000-000000000001", true
	case "binlog_checksum":
		if s.checksummed() {
			return "CRC32", true
		}
		return "NONE", true
	case "binlog_format":
		return "ROW", true
	case "log_bin":
		return "1", true
	case "gtid_mode":
		if s.mariadb() {
			return "", false
		}
		return "ON", true
	case "gtid_domain_id":
		return "0", true
	case "gtid_strict_mode":
		return "0", true
	case "gtid_binlog_pos", "gtid_current_pos", "gtid_slave_pos", "gtid_executed", "gtid_purged":
		return "", true
	case "max_allowed_packet":
		return "1073741824", true
	case "character_set_server", "character_set_client", "character_set_connection", "character_set_results":
		return "utf8mb4", true
	case "collation_server":
		return "utf8mb4_general_ci", true
	case "time_zone", "system_time_zone":
		return "+00:00", true
	case "lower_case_table_names", "rpl_semi_sync_master_enabled":
		return "0", true
	case "binlog_row_image":
		return "FULL", true
	case "binlog_row_metadata":
		return "FULL", true
	case "net_write_timeout", "net_read_timeout", "wait_timeout":
		return "3600", true
	case "master_binlog_checksum":
		return cs.vars["master_binlog_checksum"], true
	}
	return "", false
}

// checksummed reports whether the first served file carries CRC32s.
func (s *Server) checksummed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.files) == 0 {
		return true
	}
	fd, err := fileFormat(s.files[0].data)
	return err == nil && fd.ChecksumAlg == event.ChecksumCRC32
}

func (cs *session) query(q string) error {
	cs.s.mu.Lock()
	cs.s.queries = append(cs.s.queries, q)
	cs.s.mu.Unlock()
	cs.log.Debug("query", "query", q)
	t := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(q), ";"))
	u := strings.ToUpper(t)
	switch {
	case strings.HasPrefix(u, "SET "):
		cs.set(t[4:])
		return cs.ok()
	case u == "SHOW BINARY LOGS" || u == "SHOW MASTER LOGS":
		cs.s.mu.Lock()
		var rows [][]string
		for _, f := range cs.s.files {
			rows = append(rows, []string{f.name, strconv.Itoa(len(f.data))})
		}
		cs.s.mu.Unlock()
		return cs.result([]string{"Log_name", "File_size"}, rows...)
	case u == "SHOW MASTER STATUS" || u == "SHOW BINARY LOG STATUS":
		cs.s.mu.Lock()
		var rows [][]string
		if n := len(cs.s.files); n > 0 {
			f := cs.s.files[n-1]
			rows = append(rows, []string{f.name, strconv.Itoa(len(f.data)), "", ""})
		}
		cs.s.mu.Unlock()
		return cs.result([]string{"File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB"}, rows...)
	case strings.HasPrefix(u, "SHOW ") && strings.Contains(u, "VARIABLES LIKE "):
		pat := strings.Trim(strings.TrimSpace(t[strings.Index(u, "LIKE ")+5:]), "'\"")
		var rows [][]string
		if v, ok := cs.variable(pat); ok {
			rows = append(rows, []string{pat, v})
		}
		return cs.result([]string{"Variable_name", "Value"}, rows...)
	case strings.HasPrefix(u, "SELECT "):
		return cs.selectVars(t[7:])
	}
	cs.log.Info("unknown query", "query", q)
	return cs.fail(1235, "42000", "binlogtest does not answer this query: "+q)
}

// set records SET @name = value assignments (comma-separated).
func (cs *session) set(list string) {
	for _, a := range splitTop(list) {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		if strings.HasPrefix(strings.ToLower(v), "@@") {
			if val, ok := cs.variable(v[2:]); ok {
				v = val
			}
		}
		v = strings.Trim(v, "'\"")
		if strings.HasPrefix(k, "@") && !strings.HasPrefix(k, "@@") {
			cs.vars[k[1:]] = v
		}
	}
}

// selectVars answers SELECT of server variables and a few functions, one
// row with one column per item.
func (cs *session) selectVars(list string) error {
	items := splitTop(list)
	cols := make([]string, len(items))
	vals := make([]string, len(items))
	for i, it := range items {
		expr, alias := it, it
		if j := strings.Index(strings.ToUpper(it), " AS "); j >= 0 {
			expr, alias = strings.TrimSpace(it[:j]), strings.Trim(strings.TrimSpace(it[j+4:]), "`'\"")
		}
		cols[i] = alias
		e := strings.ToUpper(expr)
		switch {
		case strings.HasPrefix(expr, "@@"):
			v, ok := cs.variable(expr[2:])
			if !ok {
				cs.log.Info("unknown variable", "query", list)
				return cs.fail(1193, "HY000", "Unknown system variable '"+expr[2:]+"'")
			}
			vals[i] = v
		case strings.HasPrefix(expr, "@"):
			// A user variable the session set (SET @master_binlog_checksum…).
			vals[i] = cs.vars[strings.ToLower(expr[1:])]
		case e == "UNIX_TIMESTAMP()":
			vals[i] = strconv.FormatInt(time.Now().Unix(), 10)
		case e == "VERSION()":
			vals[i] = cs.s.cfg.Version
		case e == "DATABASE()":
			vals[i] = ""
		case e == "1":
			vals[i] = "1"
		default:
			cs.log.Info("unknown select", "query", list)
			return cs.fail(1235, "42000", "binlogtest does not answer SELECT "+list)
		}
	}
	return cs.result(cols, vals)
}

// splitTop splits a comma-separated list outside quotes and parentheses.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ',' && depth == 0:
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}
