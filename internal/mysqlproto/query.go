package mysqlproto

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// Result is the outcome of a text query: the column names and rows of a
// result set, or the counts of an OK packet.
type Result struct {
	Columns      []string
	Rows         [][]Field
	AffectedRows uint64
	LastInsertID uint64
}

// Field is one value of a row in text form; Null reports SQL NULL.
type Field struct {
	Value string
	Null  bool
}

// ErrLocalInfile is returned for a statement that makes the server ask
// for a client file (LOAD DATA LOCAL INFILE): the request is refused and
// the connection stays usable.
var ErrLocalInfile = errors.New("mysqlproto: LOAD DATA LOCAL INFILE is not supported")

// Exec runs a statement and discards any rows.
func (c *Client) Exec(ctx context.Context, sql string) error {
	_, err := c.Query(ctx, sql)
	return err
}

// Query runs sql with COM_QUERY and reads its text result. An ERR packet
// is returned as a *ServerError and leaves the connection usable. When ctx
// ends first, or a read or write fails, the connection is closed, as it
// cannot be brought back in step with the server.
func (c *Client) Query(ctx context.Context, sql string) (res *Result, err error) {
	conn := c.Conn()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer func() {
		cancelled := !stop()
		var se *ServerError
		if err != nil && !errors.As(err, &se) && !errors.Is(err, ErrLocalInfile) || cancelled {
			if cancelled && ctx.Err() != nil {
				if err != nil {
					err = fmt.Errorf("%w (%v)", ctx.Err(), err)
				} else {
					err = ctx.Err()
				}
				res = nil
			}
			c.PacketConn.Close()
			return
		}
		conn.SetDeadline(time.Time{})
	}()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.Seq = 0
	if c.cfg.WriteTimeout > 0 {
		conn.SetWriteDeadline(time.Now().Add(c.cfg.WriteTimeout))
	}
	b := make([]byte, 0, 1+len(sql))
	b = append(b, ComQuery)
	b = append(b, sql...)
	if err := c.WritePacket(b); err != nil {
		return nil, fmt.Errorf("mysqlproto: sending the query: %w", err)
	}
	res = &Result{}
	for {
		more, err := c.readResult(ctx, conn, res)
		if err != nil {
			return nil, err
		}
		if !more {
			return res, nil
		}
	}
}

// read reads a packet under the read timeout.
func (c *Client) read(ctx context.Context, conn net.Conn) ([]byte, error) {
	if c.cfg.ReadTimeout > 0 {
		conn.SetReadDeadline(time.Now().Add(c.cfg.ReadTimeout))
		if err := ctx.Err(); err != nil {
			return nil, err // the deadline just set may have undone ctx's
		}
	}
	pkt, err := c.ReadPacket()
	if err != nil {
		return nil, fmt.Errorf("mysqlproto: reading the query result: %w", err)
	}
	return pkt, nil
}

// readResult reads one result (OK, ERR or a result set) into res; more
// says another result follows. Rows of later results are appended when
// their columns match, and dropped otherwise.
func (c *Client) readResult(ctx context.Context, conn net.Conn, res *Result) (more bool, err error) {
	pkt, err := c.read(ctx, conn)
	if err != nil {
		return false, err
	}
	if len(pkt) == 0 {
		return false, errors.New("mysqlproto: empty query result packet")
	}
	switch pkt[0] {
	case OKPacket:
		ok, err := parseOK(pkt)
		if err != nil {
			return false, err
		}
		res.AffectedRows, res.LastInsertID = ok.affected, ok.insertID
		c.status = ok.status
		return ok.status&ServerMoreResultsExist != 0, nil
	case ErrPacket:
		return false, ParseError(pkt)
	case LocalInfile:
		// Refuse: an empty packet ends the (absent) file; the server
		// then answers OK or ERR.
		if err := c.WritePacket(nil); err != nil {
			return false, err
		}
		if _, err := c.readResult(ctx, conn, &Result{}); err != nil {
			var se *ServerError
			if errors.As(err, &se) {
				return false, fmt.Errorf("%w (%v)", ErrLocalInfile, se)
			}
			return false, err
		}
		return false, ErrLocalInfile
	}
	ncol, _, _, err := ReadLenEncInt(pkt)
	if err != nil {
		return false, fmt.Errorf("mysqlproto: column count: %w", err)
	}
	if ncol == 0 || ncol > 1<<16 {
		return false, fmt.Errorf("mysqlproto: invalid column count %d", ncol)
	}
	cols := make([]string, 0, int(ncol))
	for i := 0; i < int(ncol); i++ {
		pkt, err := c.read(ctx, conn)
		if err != nil {
			return false, err
		}
		name, err := columnName(pkt)
		if err != nil {
			return false, fmt.Errorf("mysqlproto: column definition %d: %w", i, err)
		}
		cols = append(cols, name)
	}
	deprecateEOF := c.Capabilities&ClientDeprecateEOF != 0
	if !deprecateEOF {
		pkt, err := c.read(ctx, conn)
		if err != nil {
			return false, err
		}
		if !isEOF(pkt) {
			return false, fmt.Errorf("mysqlproto: expected EOF after the column definitions, got 0x%02x", firstByte(pkt))
		}
	}
	first := res.Columns == nil
	keep := first || equalStrings(res.Columns, cols)
	if first {
		res.Columns = cols
	}
	for {
		pkt, err := c.read(ctx, conn)
		if err != nil {
			return false, err
		}
		if len(pkt) > 0 && pkt[0] == ErrPacket {
			return false, ParseError(pkt)
		}
		if len(pkt) > 0 && pkt[0] == EOFPacket && len(pkt) < MaxPayload {
			// EOF, or an OK with the EOF header under DEPRECATE_EOF.
			var status uint16
			if deprecateEOF {
				ok, err := parseOK(pkt)
				if err != nil {
					return false, err
				}
				status = ok.status
			} else if len(pkt) >= 5 {
				status = uint16(pkt[3]) | uint16(pkt[4])<<8
			}
			c.status = status
			return status&ServerMoreResultsExist != 0, nil
		}
		row := make([]Field, len(cols))
		rest := pkt
		for i := range row {
			v, n, null, err := ReadLenEncString(rest)
			if err != nil {
				return false, fmt.Errorf("mysqlproto: row %d column %d: %w", len(res.Rows), i, err)
			}
			rest = rest[n:]
			if null {
				row[i].Null = true
			} else {
				row[i].Value = string(v)
			}
		}
		if len(rest) != 0 {
			return false, fmt.Errorf("mysqlproto: row %d has %d bytes after its %d columns", len(res.Rows), len(rest), len(cols))
		}
		if keep {
			res.Rows = append(res.Rows, row)
		}
	}
}

func firstByte(b []byte) byte {
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

func isEOF(b []byte) bool { return len(b) > 0 && len(b) < 9 && b[0] == EOFPacket }

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// columnName reads the name out of a protocol 4.1 column definition:
// catalog, schema, table, org_table, name, … as length-encoded strings.
func columnName(b []byte) (string, error) {
	rest := b
	for i := 0; i < 4; i++ {
		_, n, _, err := ReadLenEncString(rest)
		if err != nil {
			return "", err
		}
		rest = rest[n:]
	}
	name, _, _, err := ReadLenEncString(rest)
	if err != nil {
		return "", err
	}
	return string(name), nil
}

type okPacket struct {
	affected, insertID uint64
	status, warnings   uint16
}

// parseOK decodes an OK packet (header 0x00, or 0xfe ending a result set
// under DEPRECATE_EOF).
func parseOK(b []byte) (okPacket, error) {
	var ok okPacket
	if len(b) == 0 {
		return ok, fmt.Errorf("mysqlproto: OK packet: %w", ErrShort)
	}
	rest := b[1:]
	v, n, _, err := ReadLenEncInt(rest)
	if err != nil {
		return ok, fmt.Errorf("mysqlproto: OK packet: %w", err)
	}
	ok.affected = v
	rest = rest[n:]
	v, n, _, err = ReadLenEncInt(rest)
	if err != nil {
		return ok, fmt.Errorf("mysqlproto: OK packet: %w", err)
	}
	ok.insertID = v
	rest = rest[n:]
	if len(rest) >= 4 {
		ok.status = uint16(rest[0]) | uint16(rest[1])<<8
		ok.warnings = uint16(rest[2]) | uint16(rest[3])<<8
	}
	return ok, nil
}
