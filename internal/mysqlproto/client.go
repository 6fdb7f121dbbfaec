package mysqlproto

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"time"
)

// Server status flags (in OK and EOF packets).
const (
	ServerMoreResultsExist uint16 = 0x0008
)

// charsetUTF8MB4 is utf8mb4_general_ci, known to MySQL and MariaDB alike.
const charsetUTF8MB4 = 45

// Client is an authenticated connection to a server.
type Client struct {
	// PacketConn is the connection; replication commands use its
	// ReadPacket, WritePacket and Seq directly.
	*PacketConn
	// ServerVersion is the server's version string, e.g.
	// "10.11.6-MariaDB-0+deb12u1-log" or "8.4.3".
	ServerVersion string
	// ConnectionID is the server's id for this connection.
	ConnectionID uint32
	// Capabilities are the negotiated capability flags.
	Capabilities uint32
	// TLS reports an encrypted connection.
	TLS bool
	// AuthPlugin is the plugin that finally authenticated the user.
	AuthPlugin string

	cfg Config
	// serverCaps are the capabilities the server offered.
	serverCaps uint32
	status     uint16
}

// IsMariaDB reports whether the server is MariaDB (from its version string).
func (c *Client) IsMariaDB() bool {
	return strings.Contains(strings.ToLower(c.ServerVersion), "mariadb")
}

// handshake is the server's initial handshake packet (protocol 10).
type handshake struct {
	version  string
	connID   uint32
	caps     uint32
	charset  byte
	status   uint16
	scramble []byte
	plugin   string
}

func parseHandshake(b []byte) (*handshake, error) {
	if len(b) == 0 {
		return nil, errors.New("mysqlproto: empty handshake packet")
	}
	if b[0] == ErrPacket {
		return nil, ParseError(b)
	}
	if b[0] != 10 {
		return nil, fmt.Errorf("mysqlproto: handshake protocol %d, want 10", b[0])
	}
	h := &handshake{}
	v, n, err := ReadNullString(b[1:])
	if err != nil {
		return nil, fmt.Errorf("mysqlproto: handshake: server version: %w", err)
	}
	h.version = string(v)
	rest := b[1+n:]
	// connection id (4), scramble part 1 (8), filler (1), caps low (2)
	if len(rest) < 15 {
		return nil, fmt.Errorf("mysqlproto: handshake: %w", ErrShort)
	}
	h.connID = uint32(rest[0]) | uint32(rest[1])<<8 | uint32(rest[2])<<16 | uint32(rest[3])<<24
	h.scramble = append(h.scramble, rest[4:12]...)
	h.caps = uint32(rest[13]) | uint32(rest[14])<<8
	rest = rest[15:]
	if len(rest) == 0 {
		return h, nil
	}
	// charset (1), status (2), caps high (2), auth data length (1),
	// reserved (10; MariaDB keeps extended capabilities in its last 4).
	if len(rest) < 16 {
		return nil, fmt.Errorf("mysqlproto: handshake: %w", ErrShort)
	}
	h.charset = rest[0]
	h.status = uint16(rest[1]) | uint16(rest[2])<<8
	h.caps |= (uint32(rest[3]) | uint32(rest[4])<<8) << 16
	authLen := int(rest[5])
	rest = rest[16:]
	if h.caps&ClientSecureConnection != 0 {
		n := max(13, authLen-8)
		if n > len(rest) {
			n = len(rest)
		}
		part := rest[:n]
		rest = rest[n:]
		if len(part) > 0 && part[len(part)-1] == 0 {
			part = part[:len(part)-1]
		}
		h.scramble = append(h.scramble, part...)
	}
	if h.caps&ClientPluginAuth != 0 && len(rest) > 0 {
		name, _, err := ReadNullString(rest)
		if err != nil {
			name = rest // some servers omit the terminator
		}
		h.plugin = string(name)
	}
	return h, nil
}

// Connect dials the server, negotiates capabilities, upgrades to TLS as
// cfg.TLSMode says, authenticates and sets the session parameters. ctx
// bounds the whole exchange, as does cfg.Timeout.
func Connect(ctx context.Context, cfg *Config) (*Client, error) {
	if cfg == nil {
		return nil, errors.New("mysqlproto: nil Config")
	}
	netw, addr := cfg.Net, cfg.Addr
	if netw == "" {
		netw = "tcp"
	}
	if addr == "" {
		if netw == "unix" {
			addr = "/tmp/mysql.sock"
		} else {
			addr = "127.0.0.1:3306"
		}
	}
	d := net.Dialer{Timeout: cfg.Timeout}
	conn, err := d.DialContext(ctx, netw, addr)
	if err != nil {
		return nil, fmt.Errorf("mysqlproto: connecting to %s %s: %w", netw, addr, err)
	}
	c := &Client{PacketConn: NewPacketConn(conn), cfg: *cfg}
	c.cfg.Net, c.cfg.Addr = netw, addr
	c.MaxPacket = cfg.MaxPacket
	if cfg.Timeout > 0 {
		conn.SetDeadline(time.Now().Add(cfg.Timeout))
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	err = c.handshake()
	if !stop() || ctx.Err() != nil {
		if err == nil {
			err = ctx.Err()
		} else {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
	}
	if err != nil {
		c.PacketConn.Close()
		return nil, err
	}
	c.Conn().SetDeadline(time.Time{})
	if err := c.setParams(ctx); err != nil {
		c.PacketConn.Close()
		return nil, err
	}
	return c, nil
}

func (c *Client) handshake() error {
	pkt, err := c.ReadPacket()
	if err != nil {
		return fmt.Errorf("mysqlproto: reading the handshake: %w", err)
	}
	h, err := parseHandshake(pkt)
	if err != nil {
		return err
	}
	c.ServerVersion, c.ConnectionID, c.serverCaps, c.status = h.version, h.connID, h.caps, h.status
	if h.caps&ClientProtocol41 == 0 {
		return fmt.Errorf("mysqlproto: server %s does not speak protocol 4.1", h.version)
	}
	want := ClientLongPassword | ClientLongFlag | ClientProtocol41 | ClientTransactions |
		ClientSecureConnection | ClientPluginAuth | ClientPluginAuthLenEncClientData |
		ClientMultiResults | ClientDeprecateEOF
	if c.cfg.DB != "" {
		want |= ClientConnectWithDB
	}
	caps := want & h.caps
	if caps&ClientSecureConnection == 0 {
		return fmt.Errorf("mysqlproto: server %s lacks secure connection (4.1 authentication)", h.version)
	}
	if c.cfg.DB != "" && caps&ClientConnectWithDB == 0 {
		return fmt.Errorf("mysqlproto: server %s cannot select a database at connect", h.version)
	}
	useTLS, err := c.wantTLS(h.caps)
	if err != nil {
		return err
	}
	if useTLS {
		caps |= ClientSSL
	}
	c.Capabilities = caps
	if useTLS {
		if err := c.WritePacket(appendHandshakeHeader(nil, caps)); err != nil {
			return fmt.Errorf("mysqlproto: sending the SSL request: %w", err)
		}
		if err := c.startTLS(); err != nil {
			return err
		}
		c.TLS = true
	}
	plugin := h.plugin
	if plugin == "" || caps&ClientPluginAuth == 0 {
		plugin = PluginNativePassword
	}
	a := &authSession{c: c, cfg: &c.cfg, plugin: plugin, scramble: h.scramble,
		secure: c.TLS || c.cfg.Net == "unix", tls: c.TLS}
	resp, err := a.initial()
	if err != nil {
		if !errors.Is(err, ErrAuth) || plugin == PluginNativePassword {
			return err
		}
		// The server may switch us to another plugin anyway; answer
		// with nothing rather than give up on a default plugin we
		// cannot serve without a secure channel.
		resp = nil
	}
	b := appendHandshakeHeader(nil, caps)
	b = append(b, c.cfg.User...)
	b = append(b, 0)
	if caps&ClientPluginAuthLenEncClientData != 0 {
		b = AppendLenEncString(b, string(resp))
	} else {
		if len(resp) > 255 {
			return fmt.Errorf("mysqlproto: authentication answer of %d bytes is too long", len(resp))
		}
		b = append(b, byte(len(resp)))
		b = append(b, resp...)
	}
	if caps&ClientConnectWithDB != 0 {
		b = append(b, c.cfg.DB...)
		b = append(b, 0)
	}
	if caps&ClientPluginAuth != 0 {
		b = append(b, plugin...)
		b = append(b, 0)
	}
	if err := c.WritePacket(b); err != nil {
		return fmt.Errorf("mysqlproto: sending the handshake response: %w", err)
	}
	return a.run()
}

// appendHandshakeHeader appends the fixed 32 bytes that open both the SSL
// request and the handshake response.
func appendHandshakeHeader(b []byte, caps uint32) []byte {
	b = append(b, byte(caps), byte(caps>>8), byte(caps>>16), byte(caps>>24))
	var maxPacket uint32 = DefaultMaxPacket
	b = append(b, byte(maxPacket), byte(maxPacket>>8), byte(maxPacket>>16), byte(maxPacket>>24))
	b = append(b, charsetUTF8MB4)
	return append(b, make([]byte, 23)...)
}

// setParams runs SET for the session parameters, in name order.
func (c *Client) setParams(ctx context.Context) error {
	if len(c.cfg.Params) == 0 {
		return nil
	}
	names := make([]string, 0, len(c.cfg.Params))
	for k := range c.cfg.Params {
		names = append(names, k)
	}
	sort.Strings(names)
	if v, ok := c.cfg.Params["NAMES"]; ok {
		if err := c.Exec(ctx, "SET NAMES "+v); err != nil {
			return fmt.Errorf("mysqlproto: setting the character set: %w", err)
		}
	}
	var sb strings.Builder
	for _, k := range names {
		if k == "NAMES" {
			continue
		}
		if sb.Len() == 0 {
			sb.WriteString("SET ")
		} else {
			sb.WriteString(", ")
		}
		sb.WriteString(k)
		sb.WriteByte('=')
		sb.WriteString(c.cfg.Params[k])
	}
	if sb.Len() == 0 {
		return nil
	}
	if err := c.Exec(ctx, sb.String()); err != nil {
		return fmt.Errorf("mysqlproto: setting the session parameters: %w", err)
	}
	return nil
}

// Close sends COM_QUIT and closes the connection.
func (c *Client) Close() error {
	c.Conn().SetWriteDeadline(time.Now().Add(time.Second))
	c.Seq = 0
	c.WritePacket([]byte{ComQuit}) // the server may be gone already
	return c.PacketConn.Close()
}
