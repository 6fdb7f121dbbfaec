package mysqlproto

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"errors"
	"fmt"
)

// Authentication plugin names.
const (
	PluginNativePassword       = "mysql_native_password"
	PluginCachingSHA2Password  = "caching_sha2_password"
	PluginSHA256Password       = "sha256_password"
	PluginClearPassword        = "mysql_clear_password"
	PluginEd25519              = "client_ed25519"
	cachingSHA2FastAuthSuccess = 3
	cachingSHA2PerformFullAuth = 4
	cachingSHA2RequestKey      = 2
	sha256RequestKey           = 1
)

// ErrAuth is wrapped by authentication failures found on the client side
// (an unsupported plugin, a password that may not travel in clear text);
// a rejection by the server is a *ServerError.
var ErrAuth = errors.New("mysqlproto: authentication")

// ScrambleNativePassword computes mysql_native_password's answer:
// SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))). An empty
// password answers nothing.
func ScrambleNativePassword(scramble []byte, password string) []byte {
	if password == "" {
		return nil
	}
	h1 := sha1.Sum([]byte(password))
	h2 := sha1.Sum(h1[:])
	h := sha1.New()
	h.Write(scramble[:min(len(scramble), 20)])
	h.Write(h2[:])
	h3 := h.Sum(nil)
	for i := range h3 {
		h3[i] ^= h1[i]
	}
	return h3
}

// ScrambleCachingSHA2 computes caching_sha2_password's fast-path answer:
// SHA256(password) XOR SHA256(SHA256(SHA256(password)) + scramble).
func ScrambleCachingSHA2(scramble []byte, password string) []byte {
	if password == "" {
		return nil
	}
	m1 := sha256.Sum256([]byte(password))
	m2 := sha256.Sum256(m1[:])
	h := sha256.New()
	h.Write(m2[:])
	h.Write(scramble[:min(len(scramble), 20)])
	m3 := h.Sum(nil)
	for i := range m3 {
		m3[i] ^= m1[i]
	}
	return m3
}

// EncryptPassword encrypts password+NUL, XORed with the scramble repeated,
// with RSA-OAEP(SHA-1) under the server's key: the full-path answer of
// caching_sha2_password and sha256_password over an unencrypted connection.
func EncryptPassword(password string, scramble []byte, pub *rsa.PublicKey) ([]byte, error) {
	plain := make([]byte, len(password)+1)
	copy(plain, password)
	if len(scramble) > 0 {
		for i := range plain {
			plain[i] ^= scramble[i%len(scramble)]
		}
	}
	out, err := rsa.EncryptOAEP(sha1.New(), rand.Reader, pub, plain, nil)
	if err != nil {
		return nil, fmt.Errorf("mysqlproto: encrypting the password: %w", err)
	}
	return out, nil
}

// authSession carries one authentication exchange.
type authSession struct {
	c        *Client
	cfg      *Config
	plugin   string
	scramble []byte
	secure   bool // TLS or unix socket: the password may travel as is
	tls      bool // TLS only: what sha256_password counts as secure
}

// initial returns the first answer for plugin (the handshake response or
// the answer to an auth switch).
func (a *authSession) initial() ([]byte, error) {
	switch a.plugin {
	case PluginNativePassword:
		return ScrambleNativePassword(a.scramble, a.cfg.Password), nil
	case PluginCachingSHA2Password:
		return ScrambleCachingSHA2(a.scramble, a.cfg.Password), nil
	case PluginSHA256Password:
		if a.cfg.Password == "" {
			return []byte{0}, nil
		}
		// Unlike caching_sha2_password, MySQL's sha256_password takes
		// a password in clear text over TLS only: over a unix socket it
		// expects it RSA-encrypted (and refuses the clear one with error
		// 1045), as libmysqlclient sends it.
		if a.tls {
			return append([]byte(a.cfg.Password), 0), nil
		}
		if a.cfg.ServerPubKey != nil {
			return EncryptPassword(a.cfg.Password, a.scramble, a.cfg.ServerPubKey)
		}
		if a.cfg.AllowPublicKeyRetrieval {
			return []byte{sha256RequestKey}, nil
		}
		return nil, fmt.Errorf("%w: sha256_password without TLS (a unix socket too) needs serverPubKey or allowPublicKeyRetrieval=true", ErrAuth)
	case PluginClearPassword:
		if !a.secure {
			return nil, fmt.Errorf("%w: mysql_clear_password refused over an unencrypted connection (use TLS or a unix socket)", ErrAuth)
		}
		return append([]byte(a.cfg.Password), 0), nil
	case "unix_socket", "auth_socket":
		// The server checks the credentials of the socket's peer (the
		// client's operating-system user); the answer carries nothing.
		return nil, nil
	case PluginEd25519:
		// The first answer of client_ed25519 follows the server's
		// 32-byte scramble; when it is the default plugin, the
		// handshake's scramble is it.
		if len(a.scramble) < 32 {
			return nil, nil
		}
		return SignEd25519(a.scramble[:32], a.cfg.Password)
	}
	return nil, fmt.Errorf("%w: unsupported plugin %q", ErrAuth, a.plugin)
}

// run reads the server's answers until OK or ERR, answering auth switches
// and plugin-specific requests.
func (a *authSession) run() error {
	p := a.c.PacketConn
	for {
		pkt, err := p.ReadPacket()
		if err != nil {
			return fmt.Errorf("mysqlproto: reading the authentication result: %w", err)
		}
		if len(pkt) == 0 {
			return fmt.Errorf("mysqlproto: empty packet during authentication")
		}
		switch pkt[0] {
		case OKPacket:
			a.c.AuthPlugin = a.plugin
			return nil
		case ErrPacket:
			return ParseError(pkt)
		case EOFPacket: // auth switch request
			if len(pkt) == 1 {
				return fmt.Errorf("%w: server asks for the old (pre-4.1) password scheme, which is not supported", ErrAuth)
			}
			name, n, err := ReadNullString(pkt[1:])
			if err != nil {
				// No terminator: the plugin name fills the packet.
				name, n = pkt[1:], len(pkt)-1
			}
			data := pkt[1+n:]
			// Servers end a 20-byte scramble (or ed25519's 32-byte message)
			// with a NUL; a message that merely ends in a zero byte keeps it.
			if (len(data) == 21 || len(data) == 33) && data[len(data)-1] == 0 {
				data = data[:len(data)-1]
			}
			a.plugin = string(name)
			a.scramble = append([]byte(nil), data...)
			resp, err := a.initial()
			if err != nil {
				return err
			}
			if err := p.WritePacket(resp); err != nil {
				return fmt.Errorf("mysqlproto: answering the auth switch: %w", err)
			}
		case 0x01: // more data
			if err := a.moreData(pkt[1:]); err != nil {
				return err
			}
		default:
			return fmt.Errorf("mysqlproto: unexpected packet 0x%02x during authentication", pkt[0])
		}
	}
}

func (a *authSession) moreData(data []byte) error {
	p := a.c.PacketConn
	switch a.plugin {
	case PluginCachingSHA2Password:
		if len(data) == 1 && data[0] == cachingSHA2FastAuthSuccess {
			return nil // the OK follows
		}
		if len(data) == 1 && data[0] == cachingSHA2PerformFullAuth {
			if a.secure {
				return p.WritePacket(append([]byte(a.cfg.Password), 0))
			}
			if a.cfg.ServerPubKey != nil {
				return a.sendEncrypted(a.cfg.ServerPubKey)
			}
			if !a.cfg.AllowPublicKeyRetrieval {
				return fmt.Errorf("%w: caching_sha2_password full authentication over an unencrypted connection needs TLS, serverPubKey or allowPublicKeyRetrieval=true", ErrAuth)
			}
			return p.WritePacket([]byte{cachingSHA2RequestKey})
		}
		// Anything else is the public key we asked for.
		return a.keyReceived(data)
	case PluginSHA256Password:
		return a.keyReceived(data)
	}
	return fmt.Errorf("mysqlproto: unexpected extra authentication data for plugin %s", a.plugin)
}

func (a *authSession) keyReceived(pemBytes []byte) error {
	pub, err := ParseRSAPublicKey(pemBytes)
	if err != nil {
		return fmt.Errorf("mysqlproto: the server's public key: %w", err)
	}
	return a.sendEncrypted(pub)
}

func (a *authSession) sendEncrypted(pub *rsa.PublicKey) error {
	enc, err := EncryptPassword(a.cfg.Password, a.scramble, pub)
	if err != nil {
		return err
	}
	return a.c.PacketConn.WritePacket(enc)
}
