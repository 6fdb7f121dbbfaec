package mysqlproto

import (
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"errors"
	"fmt"
)

// serverCapabilities are the capabilities ServerHandshake offers: the 4.1
// protocol with plugin authentication and no TLS, compression or
// DEPRECATE_EOF (result sets end with EOF packets).
const serverCapabilities = ClientLongPassword | ClientFoundRows | ClientLongFlag |
	ClientConnectWithDB | ClientProtocol41 | ClientTransactions |
	ClientSecureConnection | ClientPluginAuth | ClientPluginAuthLenEncClientData |
	ClientConnectAttrs | ClientMultiResults

// HandshakeResponse is what a client sent in its HandshakeResponse41 packet.
type HandshakeResponse struct {
	Capabilities uint32
	MaxPacket    uint32
	Charset      byte
	User         string
	AuthResponse []byte
	DB           string
	AuthPlugin   string
}

// ServerAuth describes the account a server-side handshake accepts.
type ServerAuth struct {
	// Version is the server version string sent in the handshake.
	Version string
	// ConnectionID is the id sent in the handshake.
	ConnectionID uint32
	// User and Password are the one account accepted; an empty User
	// accepts any user name with Password.
	User, Password string
}

// ServerHandshake runs the server side of the connection phase on a fresh
// connection: it sends a protocol-10 handshake, reads the client's
// response, switches the client to mysql_native_password when it began with
// another plugin, verifies the password and answers OK, or ERR 1045 (the
// error is also returned).
func ServerHandshake(p *PacketConn, a ServerAuth) (*HandshakeResponse, error) {
	scramble := make([]byte, 20)
	if _, err := rand.Read(scramble); err != nil {
		return nil, err
	}
	// Scramble bytes must be non-zero and not '$' for old clients.
	for i, c := range scramble {
		scramble[i] = c&0x7f | 1
		if scramble[i] == '$' {
			scramble[i] = '%'
		}
	}
	p.Seq = 0
	if err := p.WritePacket(appendServerHandshake(nil, a, scramble)); err != nil {
		return nil, err
	}
	b, err := p.ReadPacket()
	if err != nil {
		return nil, fmt.Errorf("mysqlproto: reading the handshake response: %w", err)
	}
	resp, err := ParseHandshakeResponse(b)
	if err != nil {
		return nil, err
	}
	if resp.Capabilities&ClientSSL != 0 && len(b) == 32 {
		return nil, p.writeAuthError(resp.User, "TLS is not offered by this server")
	}
	auth := resp.AuthResponse
	if resp.Capabilities&ClientPluginAuth != 0 && resp.AuthPlugin != "" && resp.AuthPlugin != "mysql_native_password" {
		sw := append([]byte{EOFPacket}, "mysql_native_password"...)
		sw = append(sw, 0)
		sw = append(sw, scramble...)
		sw = append(sw, 0)
		if err := p.WritePacket(sw); err != nil {
			return nil, err
		}
		b, err := p.ReadPacket()
		if err != nil {
			return nil, fmt.Errorf("mysqlproto: reading the auth-switch response: %w", err)
		}
		auth = bytes.Clone(b)
		resp.AuthPlugin = "mysql_native_password"
	}
	if (a.User != "" && resp.User != a.User) || !CheckNativePassword(scramble, a.Password, auth) {
		return nil, p.writeAuthError(resp.User, "")
	}
	return resp, p.WritePacket(AppendOK(nil, 0, 0, 0x0002))
}

func (p *PacketConn) writeAuthError(user, why string) error {
	msg := fmt.Sprintf("Access denied for user '%s'", user)
	if why != "" {
		msg += ": " + why
	}
	p.WritePacket(AppendError(nil, 1045, "28000", msg))
	return &ServerError{Code: 1045, State: "28000", Message: msg}
}

func appendServerHandshake(b []byte, a ServerAuth, scramble []byte) []byte {
	caps := serverCapabilities
	b = append(b, 10)
	b = append(b, a.Version...)
	b = append(b, 0)
	b = append(b, byte(a.ConnectionID), byte(a.ConnectionID>>8), byte(a.ConnectionID>>16), byte(a.ConnectionID>>24))
	b = append(b, scramble[:8]...)
	b = append(b, 0)
	b = append(b, byte(caps), byte(caps>>8))
	b = append(b, charsetUTF8MB4)
	b = append(b, 0x02, 0x00) // SERVER_STATUS_AUTOCOMMIT
	b = append(b, byte(caps>>16), byte(caps>>24))
	b = append(b, byte(len(scramble)+1))
	b = append(b, make([]byte, 10)...)
	b = append(b, scramble[8:]...)
	b = append(b, 0)
	b = append(b, "mysql_native_password"...)
	return append(b, 0)
}

// ParseHandshakeResponse decodes a HandshakeResponse41 packet (or the
// 32-byte SSLRequest that precedes it on a TLS connection).
func ParseHandshakeResponse(b []byte) (*HandshakeResponse, error) {
	if len(b) < 32 {
		return nil, fmt.Errorf("mysqlproto: handshake response of %d bytes: %w", len(b), ErrShort)
	}
	r := &HandshakeResponse{
		Capabilities: uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24,
		MaxPacket:    uint32(b[4]) | uint32(b[5])<<8 | uint32(b[6])<<16 | uint32(b[7])<<24,
		Charset:      b[8],
	}
	if r.Capabilities&ClientProtocol41 == 0 {
		return nil, errors.New("mysqlproto: client does not speak the 4.1 protocol")
	}
	rest := b[32:]
	if len(rest) == 0 {
		return r, nil // SSLRequest
	}
	user, n, err := ReadNullString(rest)
	if err != nil {
		return nil, fmt.Errorf("mysqlproto: handshake response: user: %w", err)
	}
	r.User = string(user)
	rest = rest[n:]
	switch {
	case r.Capabilities&ClientPluginAuthLenEncClientData != 0:
		s, n, _, err := ReadLenEncString(rest)
		if err != nil {
			return nil, fmt.Errorf("mysqlproto: handshake response: auth data: %w", err)
		}
		r.AuthResponse, rest = bytes.Clone(s), rest[n:]
	case r.Capabilities&ClientSecureConnection != 0:
		if len(rest) < 1 || len(rest) < 1+int(rest[0]) {
			return nil, fmt.Errorf("mysqlproto: handshake response: auth data: %w", ErrShort)
		}
		r.AuthResponse, rest = bytes.Clone(rest[1:1+int(rest[0])]), rest[1+int(rest[0]):]
	default:
		s, n, err := ReadNullString(rest)
		if err != nil {
			return nil, fmt.Errorf("mysqlproto: handshake response: auth data: %w", err)
		}
		r.AuthResponse, rest = bytes.Clone(s), rest[n:]
	}
	if r.Capabilities&ClientConnectWithDB != 0 && len(rest) > 0 {
		db, n, err := ReadNullString(rest)
		if err != nil {
			return nil, fmt.Errorf("mysqlproto: handshake response: database: %w", err)
		}
		r.DB, rest = string(db), rest[n:]
	}
	if r.Capabilities&ClientPluginAuth != 0 && len(rest) > 0 {
		if pl, _, err := ReadNullString(rest); err == nil {
			r.AuthPlugin = string(pl)
		} else {
			r.AuthPlugin = string(rest)
		}
	}
	return r, nil
}

// CheckNativePassword reports whether resp is the mysql_native_password
// answer to scramble for password (an empty password answers with nothing).
func CheckNativePassword(scramble []byte, password string, resp []byte) bool {
	if password == "" {
		return len(resp) == 0
	}
	if len(resp) != sha1.Size {
		return false
	}
	// resp = SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))); recover SHA1(pw)
	// and check its hash, as the server does with the stored hash.
	h1 := sha1.Sum([]byte(password))
	h2 := sha1.Sum(h1[:])
	m := sha1.New()
	m.Write(scramble[:20])
	m.Write(h2[:])
	x := m.Sum(nil)
	cand := make([]byte, sha1.Size)
	for i := range cand {
		cand[i] = resp[i] ^ x[i]
	}
	c2 := sha1.Sum(cand)
	return subtle.ConstantTimeCompare(c2[:], h2[:]) == 1
}

// AppendOK appends an OK packet's payload.
func AppendOK(b []byte, affected, lastInsertID uint64, status uint16) []byte {
	b = append(b, OKPacket)
	b = AppendLenEncInt(b, affected)
	b = AppendLenEncInt(b, lastInsertID)
	return append(b, byte(status), byte(status>>8), 0, 0)
}

// AppendEOF appends an EOF packet's payload.
func AppendEOF(b []byte, status uint16) []byte {
	return append(b, EOFPacket, 0, 0, byte(status), byte(status>>8))
}

// WriteResultSet writes a text result set of string columns: the column
// count, the column definitions, EOF, the rows (a nil *string is NULL) and
// EOF. It does not reset the sequence id.
func WriteResultSet(p *PacketConn, columns []string, rows [][]*string) error {
	if err := p.WritePacket(AppendLenEncInt(nil, uint64(len(columns)))); err != nil {
		return err
	}
	var b []byte
	for _, c := range columns {
		b = b[:0]
		b = AppendLenEncString(b, "def")
		b = AppendLenEncString(b, "")
		b = AppendLenEncString(b, "")
		b = AppendLenEncString(b, "")
		b = AppendLenEncString(b, c)
		b = AppendLenEncString(b, c)
		b = append(b, 0x0c, charsetUTF8MB4, 0, 0, 0, 1, 0, 0xfd, 0, 0, 0x1f, 0, 0)
		if err := p.WritePacket(b); err != nil {
			return err
		}
	}
	if err := p.WritePacket(AppendEOF(nil, 0x0002)); err != nil {
		return err
	}
	for _, r := range rows {
		b = b[:0]
		for _, v := range r {
			if v == nil {
				b = append(b, 0xfb)
			} else {
				b = AppendLenEncString(b, *v)
			}
		}
		if err := p.WritePacket(b); err != nil {
			return err
		}
	}
	return p.WritePacket(AppendEOF(nil, 0x0002))
}
