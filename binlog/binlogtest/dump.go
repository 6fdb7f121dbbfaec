package binlogtest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mysqlproto"
)

// artificialFlag is LOG_EVENT_ARTIFICIAL_F: an event the primary made up for
// the stream, not read from a file.
const artificialFlag = 0x20

// dumpRequest is a parsed COM_BINLOG_DUMP or COM_BINLOG_DUMP_GTID.
type dumpRequest struct {
	file     string
	pos      uint64
	flags    uint16
	serverID uint32
	skip     *binlog.GTIDSet // transactions the replica has
}

func parseDump(arg []byte, gtid bool) (dumpRequest, error) {
	var r dumpRequest
	if !gtid {
		if len(arg) < 10 {
			return r, errors.New("COM_BINLOG_DUMP too short")
		}
		r.pos = uint64(binary.LittleEndian.Uint32(arg))
		r.flags = binary.LittleEndian.Uint16(arg[4:])
		r.serverID = binary.LittleEndian.Uint32(arg[6:])
		r.file = string(arg[10:])
		return r, nil
	}
	if len(arg) < 10 {
		return r, errors.New("COM_BINLOG_DUMP_GTID too short")
	}
	r.flags = binary.LittleEndian.Uint16(arg)
	r.serverID = binary.LittleEndian.Uint32(arg[2:])
	n := int(binary.LittleEndian.Uint32(arg[6:]))
	rest := arg[10:]
	if len(rest) < n+8 {
		return r, errors.New("COM_BINLOG_DUMP_GTID: file name cut short")
	}
	r.file = string(rest[:n])
	r.pos = binary.LittleEndian.Uint64(rest[n:])
	rest = rest[n+8:]
	// MySQL reads the GTID set whether or not BINLOG_THROUGH_GTID is set:
	// mysqlbinlog --exclude-gtids sends one without the flag.
	if len(rest) >= 4 {
		size := int(binary.LittleEndian.Uint32(rest))
		rest = rest[4:]
		if len(rest) < size {
			return r, errors.New("COM_BINLOG_DUMP_GTID: GTID set cut short")
		}
		var p event.PreviousGTIDs
		if err := p.DecodeBody(event.DefaultFormat(), event.PreviousGTIDsEvent, rest[:size]); err != nil {
			return r, fmt.Errorf("COM_BINLOG_DUMP_GTID: GTID set: %w", err)
		}
		r.skip = new(binlog.GTIDSet)
		if err := r.skip.AddPreviousGTIDs(&p); err != nil {
			return r, fmt.Errorf("COM_BINLOG_DUMP_GTID: GTID set: %w", err)
		}
	}
	return r, nil
}

// firstFileNotIn returns the file a MySQL primary starts a
// COM_BINLOG_DUMP_GTID in: the newest whose PREVIOUS_GTIDS the replica has
// (older files hold only transactions it has). Files without a
// PREVIOUS_GTIDS (fabricated ones) make it start at the first file.
func firstFileNotIn(files []*served, have *binlog.GTIDSet) int {
	for i := len(files) - 1; i >= 0; i-- {
		prev, ok := previousGTIDs(files[i].data)
		if !ok {
			return 0
		}
		if have.ContainsSet(prev) {
			return i
		}
	}
	return 0
}

// previousGTIDs decodes the PREVIOUS_GTIDS event that follows the
// FORMAT_DESCRIPTION of a MySQL binlog file.
func previousGTIDs(data []byte) (*binlog.GTIDSet, bool) {
	fd, err := fileFormat(data)
	if err != nil {
		return nil, false
	}
	h, _ := event.ParseHeader(data[4:])
	off := 4 + uint64(h.EventSize)
	if off+event.HeaderLen > uint64(len(data)) {
		return nil, false
	}
	h, err = event.ParseHeader(data[off:])
	if err != nil || h.Type != event.PreviousGTIDsEvent || off+uint64(h.EventSize) > uint64(len(data)) {
		return nil, false
	}
	body := data[off+event.HeaderLen : off+uint64(h.EventSize)]
	if fd.ChecksumAlg == event.ChecksumCRC32 && len(body) >= event.ChecksumLen {
		body = body[:len(body)-event.ChecksumLen]
	}
	var p event.PreviousGTIDs
	if err := p.DecodeBody(fd, event.PreviousGTIDsEvent, body); err != nil {
		return nil, false
	}
	set := new(binlog.GTIDSet)
	if err := set.AddPreviousGTIDs(&p); err != nil {
		return nil, false
	}
	return set, true
}

// fileFormat decodes the FORMAT_DESCRIPTION at byte 4 of a binlog file.
func fileFormat(data []byte) (*event.FormatDescription, error) {
	if len(data) < 4+event.HeaderLen {
		return nil, errors.New("file too short for a FORMAT_DESCRIPTION")
	}
	h, err := event.ParseHeader(data[4:])
	if err != nil {
		return nil, err
	}
	if h.Type != event.FormatDescriptionEvent || int(h.EventSize) > len(data)-4 || h.EventSize < event.HeaderLen {
		return nil, errors.New("no FORMAT_DESCRIPTION at byte 4")
	}
	fd := new(event.FormatDescription)
	body := data[4+event.HeaderLen : 4+h.EventSize]
	body = body[:event.FormatDescriptionBodyLen(body)]
	if err := fd.DecodeBody(nil, event.FormatDescriptionEvent, body); err != nil {
		return nil, err
	}
	return fd.Clone(), nil
}

// dump streams the served files to a replica. It returns nil when the
// stream ended as asked (NON_BLOCK) and an error when the connection failed
// or the server closed.
func (cs *session) dump(arg []byte, gtid bool) error {
	req, err := parseDump(arg, gtid)
	if err != nil {
		return cs.fail(1236, "HY000", err.Error())
	}
	if state := cs.vars["slave_connect_state"]; !gtid && state != "" {
		set, err := binlog.ParseGTIDSet(state)
		if err != nil {
			return cs.fail(1236, "HY000", "bad @slave_connect_state: "+err.Error())
		}
		req.skip, req.file, req.pos = set, "", 4
	}
	if req.skip != nil {
		req.file, req.pos = "", 4 // scan from the first file
	}
	hb := cs.s.cfg.HeartbeatPeriod
	if v, err := strconv.ParseInt(cs.vars["master_heartbeat_period"], 10, 64); err == nil && v > 0 {
		hb = time.Duration(v)
	}
	cs.log.Info("dump", "file", req.file, "pos", req.pos, "flags", req.flags, "com_binlog_dump_gtid", gtid, "gtid_set", req.skip)

	s := cs.s
	s.mu.Lock()
	idx := -1
	for i, f := range s.files {
		if req.file == "" || f.name == req.file {
			idx = i
			break
		}
	}
	if gtid && req.skip != nil {
		idx = firstFileNotIn(s.files, req.skip)
	}
	s.mu.Unlock()
	if idx < 0 {
		return cs.fail(1236, "HY000", "Could not find first log file name in binary log index file")
	}
	if req.pos < 4 {
		req.pos = 4
	}
	d := &dumper{cs: cs, req: req, hb: hb}
	// A replica that declared no checksum ('NONE', as mariadb-binlog does)
	// or nothing at all gets artificial events without one.
	for _, v := range []string{"master_binlog_checksum", "source_binlog_checksum"} {
		if strings.EqualFold(cs.vars[v], "CRC32") {
			d.acrc = true
		}
	}
	return d.run(idx)
}

type dumper struct {
	cs   *session
	req  dumpRequest
	hb   time.Duration
	buf  []byte
	dec  event.Decoder
	crc  bool // the current file's events carry CRC32s
	acrc bool // artificial events carry CRC32s: the replica asked for them
	fd   *event.FormatDescription
	skip bool
	name string
	// started is set once the first artificial ROTATE is sent.
	started bool
}

func (d *dumper) run(idx int) error {
	s := d.cs.s
	pos := d.req.pos
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return errors.New("server closed")
		}
		f := s.files[idx]
		head := f.data // Append replaces f.data under s.mu: read it there
		s.mu.Unlock()
		fd, err := fileFormat(head)
		if err != nil {
			return d.cs.fail(1236, "HY000", fmt.Sprintf("%s: %v", f.name, err))
		}
		d.fd, d.crc, d.name = fd, fd.ChecksumAlg == event.ChecksumCRC32, f.name
		if !d.started {
			if err := d.send(d.artificialRotate(f.name, pos)); err != nil {
				return err
			}
			d.started = true
		}
		if pos > 4 {
			// The file's FORMAT_DESCRIPTION first, marked as not to be
			// counted (end_log_pos 0).
			h, _ := event.ParseHeader(head[4:])
			fde := append([]byte(nil), head[4:4+h.EventSize]...)
			binary.LittleEndian.PutUint32(fde[13:], 0)
			if d.crc {
				n := len(fde) - event.ChecksumLen
				binary.LittleEndian.PutUint32(fde[n:], event.Checksum(fde[:n]))
			}
			if err := d.send(fde); err != nil {
				return err
			}
		}
		next, err := d.file(idx, pos)
		if err != nil {
			return err
		}
		if next == nil {
			return nil // NON_BLOCK end
		}
		// Like a real primary, announce every file with an artificial
		// ROTATE, whether or not the previous one ended with a ROTATE.
		if err := d.send(d.artificialRotate(next.name, 4)); err != nil {
			return err
		}
		idx, pos = idx+1, 4
	}
}

// file streams file idx from pos. It returns the next file once the stream
// moves on to it, or nil after the NON_BLOCK EOF.
func (d *dumper) file(idx int, pos uint64) (next *served, err error) {
	s := d.cs.s
	off := pos
	timer := time.NewTimer(d.hb)
	defer timer.Stop()
	for {
		s.mu.Lock()
		f := s.files[idx]
		data := f.data
		if idx+1 < len(s.files) {
			next = s.files[idx+1]
		}
		changed, closed := s.changed, s.closed
		s.mu.Unlock()
		if closed {
			return nil, errors.New("server closed")
		}
		sent := false
		for off+event.HeaderLen <= uint64(len(data)) {
			size := uint64(binary.LittleEndian.Uint32(data[off+9:]))
			if size < event.HeaderLen || off+size > uint64(len(data)) {
				break
			}
			raw := data[off : off+size]
			off += size
			if d.skipped(raw) {
				continue
			}
			if err := d.send(raw); err != nil {
				return nil, err
			}
			sent = true
		}
		if next != nil && off >= uint64(len(data)) {
			return next, nil
		}
		if d.req.flags&mysqlproto.BinlogDumpNonBlock != 0 {
			d.cs.pc.WritePacket(mysqlproto.AppendEOF(nil, 0x0002))
			return nil, nil
		}
		if sent {
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
			timer.Reset(d.hb)
		}
		select {
		case <-changed:
		case <-timer.C:
			if err := d.send(d.heartbeat(f.name, off)); err != nil {
				return nil, err
			}
			timer.Reset(d.hb)
		}
	}
}

// skipped reports whether raw belongs to a transaction the replica already
// has (GTID dumps).
func (d *dumper) skipped(raw []byte) bool {
	if d.req.skip == nil {
		return false
	}
	t := event.Type(raw[4])
	switch t {
	case event.GTIDEvent, event.AnonymousGTIDEvent, event.GTIDTaggedEvent, event.MariaGTIDEvent:
		body := raw[event.HeaderLen:]
		if d.crc && len(body) >= event.ChecksumLen {
			body = body[:len(body)-event.ChecksumLen]
		}
		b, err := d.dec.Decode(d.fd, t, body)
		d.skip = false
		if err == nil {
			if g, ok := binlog.GTIDFromEvent(b, binary.LittleEndian.Uint32(raw[5:])); ok {
				d.skip = d.req.skip.Contains(g)
			}
		}
		return d.skip
	case event.RotateEvent, event.FormatDescriptionEvent, event.StopEvent, event.PreviousGTIDsEvent,
		event.MariaGTIDListEvent, event.MariaBinlogCheckpointEvent:
		d.skip = false
		return false
	}
	return d.skip
}

func (d *dumper) send(raw []byte) error {
	d.buf = append(append(d.buf[:0], mysqlproto.OKPacket), raw...)
	err := d.cs.pc.WritePacket(d.buf)
	if cap(d.buf) > 1<<20 {
		d.buf = nil
	}
	return err
}

// artificial builds an event the primary makes up: timestamp 0, end_log_pos
// 0 and LOG_EVENT_ARTIFICIAL_F, with a CRC32 when the replica asked for
// checksums.
func (d *dumper) artificial(t event.Type, logPos uint32, body []byte) []byte {
	// The first ROTATE comes before any FORMAT_DESCRIPTION: it carries a
	// checksum when the replica asked for them. Later artificial events
	// follow the current file's format, as the events around them do.
	crc := d.crc
	if !d.started {
		crc = d.acrc
	}
	size := event.HeaderLen + len(body)
	if crc {
		size += event.ChecksumLen
	}
	h := event.Header{Type: t, ServerID: d.cs.s.cfg.ServerID, EventSize: uint32(size), LogPos: logPos, Flags: artificialFlag}
	b := h.Append(nil)
	b = append(b, body...)
	if crc {
		b = binary.LittleEndian.AppendUint32(b, event.Checksum(b))
	}
	return b
}

func (d *dumper) artificialRotate(name string, pos uint64) []byte {
	body := binary.LittleEndian.AppendUint64(nil, pos)
	return d.artificial(event.RotateEvent, 0, append(body, name...))
}

func (d *dumper) heartbeat(name string, pos uint64) []byte {
	return d.artificial(event.HeartbeatEvent, uint32(pos), []byte(name))
}
