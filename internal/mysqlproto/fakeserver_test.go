package mysqlproto

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// fakeConn is the server end of one test connection.
type fakeConn struct {
	*PacketConn
	scramble []byte
	caps     uint32
	tls      *tls.Config
	resp     handshakeResponse
}

type handshakeResponse struct {
	caps           uint32
	user, db       string
	auth           []byte
	plugin         string
	tls            bool
	sslRequestSeen bool
}

const fakeCaps = ClientLongPassword | ClientLongFlag | ClientConnectWithDB | ClientProtocol41 |
	ClientTransactions | ClientSecureConnection | ClientPluginAuth | ClientPluginAuthLenEncClientData |
	ClientMultiResults

// startFake serves each accepted connection with handle and returns the
// address. Errors from handle fail the test.
func startFake(t *testing.T, network string, tlsConf *tls.Config, caps uint32, handle func(fc *fakeConn) error) string {
	t.Helper()
	addr := "127.0.0.1:0"
	if network == "unix" {
		addr = t.TempDir() + "/s.sock"
	}
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.SetDeadline(time.Now().Add(20 * time.Second))
			fc := &fakeConn{PacketConn: NewPacketConn(c), caps: caps, tls: tlsConf}
			if tlsConf != nil {
				fc.caps |= ClientSSL
			}
			err = handle(fc)
			c.Close()
			if err != nil {
				errc <- err
			}
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		close(errc)
		for err := range errc {
			t.Errorf("fake server: %v", err)
		}
	})
	return ln.Addr().String()
}

// greet sends a handshake v10 the way MariaDB does (extended capabilities
// in the reserved bytes, "5.5.5-" version prefix) and reads the response.
func (fc *fakeConn) greet(plugin string) error {
	fc.scramble = make([]byte, 20)
	rand.Read(fc.scramble)
	for i := range fc.scramble {
		fc.scramble[i] = fc.scramble[i]&0x7f | 1 // no NUL, as servers do
	}
	b := []byte{10}
	b = append(b, "5.5.5-10.11.6-MariaDB-fake\x00"...)
	b = append(b, 42, 0, 0, 0)
	b = append(b, fc.scramble[:8]...)
	b = append(b, 0, byte(fc.caps), byte(fc.caps>>8), 45, 2, 0, byte(fc.caps>>16), byte(fc.caps>>24), 21)
	b = append(b, 0, 0, 0, 0, 0, 0, 0x1d, 0, 0, 0) // MariaDB extended capabilities
	b = append(b, fc.scramble[8:]...)
	b = append(b, 0)
	b = append(b, plugin...)
	b = append(b, 0)
	if err := fc.WritePacket(b); err != nil {
		return err
	}
	pkt, err := fc.ReadPacket()
	if err != nil {
		return err
	}
	if len(pkt) == 32 {
		caps := uint32(pkt[0]) | uint32(pkt[1])<<8 | uint32(pkt[2])<<16 | uint32(pkt[3])<<24
		if caps&ClientSSL == 0 || fc.tls == nil {
			return fmt.Errorf("32-byte response without SSL")
		}
		fc.resp.sslRequestSeen = true
		tc := tls.Server(fc.BufferedConn(), fc.tls)
		if err := tc.Handshake(); err != nil {
			return nil // the client may reject the certificate
		}
		seq := fc.Seq
		fc.SetConn(tc)
		fc.Seq = seq
		fc.resp.tls = true
		if pkt, err = fc.ReadPacket(); err != nil {
			return err
		}
	}
	r := &fc.resp
	if len(pkt) < 33 {
		return fmt.Errorf("handshake response of %d bytes", len(pkt))
	}
	r.caps = uint32(pkt[0]) | uint32(pkt[1])<<8 | uint32(pkt[2])<<16 | uint32(pkt[3])<<24
	rest := pkt[32:]
	user, n, err := ReadNullString(rest)
	if err != nil {
		return err
	}
	r.user = string(user)
	rest = rest[n:]
	if r.caps&ClientPluginAuthLenEncClientData != 0 {
		a, n, _, err := ReadLenEncString(rest)
		if err != nil {
			return err
		}
		r.auth, rest = append([]byte{}, a...), rest[n:]
	} else {
		if len(rest) == 0 || len(rest) < 1+int(rest[0]) {
			return ErrShort
		}
		r.auth, rest = append([]byte{}, rest[1:1+int(rest[0])]...), rest[1+int(rest[0]):]
	}
	if r.caps&ClientConnectWithDB != 0 {
		db, n, err := ReadNullString(rest)
		if err != nil {
			return err
		}
		r.db, rest = string(db), rest[n:]
	}
	if r.caps&ClientPluginAuth != 0 {
		p, _, err := ReadNullString(rest)
		if err != nil {
			return err
		}
		r.plugin = string(p)
	}
	return nil
}

func (fc *fakeConn) ok() error { return fc.WritePacket([]byte{0, 0, 0, 2, 0, 0, 0}) }

func (fc *fakeConn) read() ([]byte, error) {
	p, err := fc.ReadPacket()
	return append([]byte{}, p...), err
}

// checkNative verifies a mysql_native_password answer like a server.
func checkNative(scramble, answer []byte, pw string) bool {
	h1 := sha1.Sum([]byte(pw))
	stored := sha1.Sum(h1[:])
	mask := sha1.Sum(append(append([]byte{}, scramble...), stored[:]...))
	if len(answer) != 20 {
		return false
	}
	var c [20]byte
	for i := range c {
		c[i] = answer[i] ^ mask[i]
	}
	return sha1.Sum(c[:]) == stored
}

func checkSHA2(scramble, answer []byte, pw string) bool {
	h1 := sha256.Sum256([]byte(pw))
	stored := sha256.Sum256(h1[:])
	mask := sha256.Sum256(append(append([]byte{}, stored[:]...), scramble...))
	if len(answer) != 32 {
		return false
	}
	var c [32]byte
	for i := range c {
		c[i] = answer[i] ^ mask[i]
	}
	return sha256.Sum256(c[:]) == stored
}

func decryptPassword(key *rsa.PrivateKey, scramble, enc []byte) (string, error) {
	plain, err := rsa.DecryptOAEP(sha1.New(), nil, key, enc, nil)
	if err != nil {
		return "", err
	}
	for i := range plain {
		plain[i] ^= scramble[i%len(scramble)]
	}
	if len(plain) == 0 || plain[len(plain)-1] != 0 {
		return "", errors.New("no NUL after the password")
	}
	return string(plain[:len(plain)-1]), nil
}

func pubPEM(key *rsa.PrivateKey) []byte {
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func connectTest(t *testing.T, cfg *Config) (*Client, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := Connect(ctx, cfg)
	if err == nil {
		t.Cleanup(func() { c.Close() })
	}
	return c, err
}

func TestFakeNativeAndQuery(t *testing.T) {
	for _, deprecateEOF := range []bool{false, true} {
		caps := fakeCaps
		if deprecateEOF {
			caps |= ClientDeprecateEOF
		}
		addr := startFake(t, "tcp", nil, caps, func(fc *fakeConn) error {
			if err := fc.greet(PluginNativePassword); err != nil {
				return err
			}
			r := fc.resp
			if r.user != "u" || r.db != "d" || r.plugin != PluginNativePassword || !checkNative(fc.scramble, r.auth, "pw") {
				return fmt.Errorf("handshake response %+v", r)
			}
			if r.caps&ClientProtocol41 == 0 || r.caps&ClientSSL != 0 || (r.caps&ClientDeprecateEOF != 0) != deprecateEOF {
				return fmt.Errorf("client capabilities %#x", r.caps)
			}
			if err := fc.ok(); err != nil {
				return err
			}
			for {
				fc.Seq = 0
				pkt, err := fc.read()
				if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
					return nil // the client hung up (after a cancelled query)
				}
				if err != nil {
					return err
				}
				switch {
				case pkt[0] == ComQuit:
					return nil
				case string(pkt) == "\x03SET time_zone='+00:00'":
					fc.ok()
				case string(pkt) == "\x03SELECT rows":
					fc.WritePacket([]byte{3})
					for _, name := range []string{"a", "b", "long"} {
						col := AppendLenEncString(nil, "def")
						for _, s := range []string{"", "", "", name, name} {
							col = AppendLenEncString(col, s)
						}
						col = append(col, 0x0c, 45, 0, 0, 1, 0, 0, 0xfd, 0, 0, 0, 0, 0)
						fc.WritePacket(col)
					}
					if !deprecateEOF {
						fc.WritePacket([]byte{0xfe, 0, 0, 2, 0})
					}
					long := strings.Repeat("z", 70000)
					row := AppendLenEncString(nil, "1")
					row = append(row, 0xfb)
					row = AppendLenEncString(row, long)
					fc.WritePacket(row)
					row = AppendLenEncString(nil, "")
					row = AppendLenEncString(row, "x")
					row = append(row, 0xfb)
					fc.WritePacket(row)
					if deprecateEOF {
						fc.WritePacket([]byte{0xfe, 0, 0, 2, 0, 0, 0})
					} else {
						fc.WritePacket([]byte{0xfe, 0, 0, 2, 0})
					}
				case string(pkt) == "\x03INSERT":
					fc.WritePacket([]byte{0, 0xfc, 0x10, 0x27, 7, 2, 0, 0, 0})
				case string(pkt) == "\x03LOAD":
					fc.WritePacket([]byte("\xfb/etc/passwd"))
					if p, err := fc.read(); err != nil || len(p) != 0 {
						return fmt.Errorf("LOCAL INFILE answered %q, %v; want an empty packet", p, err)
					}
					fc.WritePacket(AppendError(nil, 1366, "HY000", "no data"))
				case string(pkt) == "\x03SLEEP":
					// no answer
				default:
					fc.WritePacket(AppendError(nil, 1064, "42000", "syntax"))
				}
			}
		})
		cfg, _ := ParseDSN("u:pw@tcp(" + addr + ")/d?time_zone=%27%2B00:00%27")
		c, err := connectTest(t, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if c.ServerVersion != "5.5.5-10.11.6-MariaDB-fake" || !c.IsMariaDB() || c.ConnectionID != 42 || c.AuthPlugin != PluginNativePassword {
			t.Errorf("client %+v", c)
		}
		ctx := context.Background()
		res, err := c.Query(ctx, "SELECT rows")
		if err != nil {
			t.Fatalf("deprecateEOF=%v: %v", deprecateEOF, err)
		}
		want := &Result{Columns: []string{"a", "b", "long"}, Rows: [][]Field{
			{{Value: "1"}, {Null: true}, {Value: strings.Repeat("z", 70000)}},
			{{Value: ""}, {Value: "x"}, {Null: true}},
		}}
		if fmt.Sprint(res) != fmt.Sprint(want) {
			t.Errorf("deprecateEOF=%v: result %.200v", deprecateEOF, res)
		}
		res, err = c.Query(ctx, "INSERT")
		if err != nil || res.AffectedRows != 10000 || res.LastInsertID != 7 || res.Columns != nil {
			t.Errorf("OK result %+v %v", res, err)
		}
		var se *ServerError
		if _, err := c.Query(ctx, "bad"); !errors.As(err, &se) || se.Code != 1064 || se.State != "42000" {
			t.Errorf("ERR: %v", err)
		}
		if _, err := c.Query(ctx, "LOAD"); !errors.Is(err, ErrLocalInfile) {
			t.Errorf("LOCAL INFILE: %v", err)
		}
		if res, err := c.Query(ctx, "INSERT"); err != nil || res.AffectedRows != 10000 {
			t.Errorf("after LOCAL INFILE: %+v %v", res, err)
		}
		// ctx ends while the server is silent: Query returns promptly and
		// the connection is closed.
		qctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		start := time.Now()
		_, err = c.Query(qctx, "SLEEP")
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
			t.Errorf("Query past its deadline: %v after %v", err, time.Since(start))
		}
		if _, err := c.Query(ctx, "INSERT"); err == nil {
			t.Error("connection still used after a cancelled query")
		}
	}
}

func TestFakeCachingSHA2FullAuthRSA(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	const pw = "sha2 pw"
	// mode: "retrieve" (client asks for the key), "known" (client has it)
	serve := func(retrieve bool) func(fc *fakeConn) error {
		return func(fc *fakeConn) error {
			if err := fc.greet(PluginCachingSHA2Password); err != nil {
				return err
			}
			if fc.resp.plugin != PluginCachingSHA2Password || !checkSHA2(fc.scramble, fc.resp.auth, pw) {
				return fmt.Errorf("fast-path answer wrong: %+v", fc.resp)
			}
			// Pretend the cache is cold: full authentication.
			fc.WritePacket([]byte{1, cachingSHA2PerformFullAuth})
			pkt, err := fc.read()
			if err != nil {
				return nil // the client gave up (no key): checked by the caller
			}
			if retrieve {
				if !bytes.Equal(pkt, []byte{cachingSHA2RequestKey}) {
					return fmt.Errorf("expected a key request, got %x", pkt)
				}
				fc.WritePacket(append([]byte{1}, pubPEM(key)...))
				if pkt, err = fc.read(); err != nil {
					return err
				}
			}
			got, err := decryptPassword(key, fc.scramble, pkt)
			if err != nil || got != pw {
				fc.WritePacket(AppendError(nil, 1045, "28000", "Access denied"))
				return fmt.Errorf("encrypted password %q, %v", got, err)
			}
			return fc.ok()
		}
	}
	addr := startFake(t, "tcp", nil, fakeCaps, serve(true))
	c, err := connectTest(t, &Config{Addr: addr, User: "u", Password: pw, AllowPublicKeyRetrieval: true})
	if err != nil {
		t.Fatal(err)
	}
	if c.AuthPlugin != PluginCachingSHA2Password || c.TLS {
		t.Errorf("plugin %s TLS %v", c.AuthPlugin, c.TLS)
	}
	addr = startFake(t, "tcp", nil, fakeCaps, serve(false))
	if _, err := connectTest(t, &Config{Addr: addr, User: "u", Password: pw, ServerPubKey: &key.PublicKey}); err != nil {
		t.Fatalf("with ServerPubKey: %v", err)
	}
	// Neither key nor permission to fetch it: the password stays home.
	if _, err := connectTest(t, &Config{Addr: addr, User: "u", Password: pw}); !errors.Is(err, ErrAuth) {
		t.Fatalf("without key: %v, want ErrAuth", err)
	}
}

func TestFakeCachingSHA2FullAuthSecure(t *testing.T) {
	ca := newTestCA(t, "ca")
	const pw = "clear over tls"
	serve := func(fc *fakeConn) error {
		if err := fc.greet(PluginCachingSHA2Password); err != nil {
			return err
		}
		fc.WritePacket([]byte{1, cachingSHA2PerformFullAuth})
		pkt, err := fc.read()
		if err != nil {
			return err
		}
		if string(pkt) != pw+"\x00" {
			return fmt.Errorf("full auth over a secure channel sent %q", pkt)
		}
		return fc.ok()
	}
	addr := startFake(t, "tcp", ca.serverTLS(t, nil, []net.IP{net.ParseIP("127.0.0.1")}), fakeCaps, serve)
	c, err := connectTest(t, &Config{Addr: addr, User: "u", Password: pw, TLSMode: TLSVerifyIdentity, TLSConfig: &tls.Config{RootCAs: ca.pool()}})
	if err != nil {
		t.Fatal(err)
	}
	if !c.TLS || c.Capabilities&ClientSSL == 0 {
		t.Errorf("TLS %v caps %#x", c.TLS, c.Capabilities)
	}
	sock := startFake(t, "unix", nil, fakeCaps, serve)
	if _, err := connectTest(t, &Config{Net: "unix", Addr: sock, User: "u", Password: pw}); err != nil {
		t.Fatalf("over a unix socket: %v", err)
	}
}

func TestFakeCachingSHA2FastPathAndSwitch(t *testing.T) {
	const pw = "switch"
	addr := startFake(t, "tcp", nil, fakeCaps, func(fc *fakeConn) error {
		// Offer native password, then switch to caching_sha2 with a new scramble.
		if err := fc.greet(PluginNativePassword); err != nil {
			return err
		}
		if !checkNative(fc.scramble, fc.resp.auth, pw) {
			return errors.New("native answer wrong")
		}
		s2 := []byte("abcdefghij0123456789")
		fc.WritePacket(append(append([]byte("\xfe"+PluginCachingSHA2Password+"\x00"), s2...), 0))
		pkt, err := fc.read()
		if err != nil {
			return err
		}
		if !checkSHA2(s2, pkt, pw) {
			return errors.New("caching_sha2 answer to the switch wrong")
		}
		fc.WritePacket([]byte{1, cachingSHA2FastAuthSuccess})
		return fc.ok()
	})
	c, err := connectTest(t, &Config{Addr: addr, User: "u", Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	if c.AuthPlugin != PluginCachingSHA2Password {
		t.Errorf("final plugin %s", c.AuthPlugin)
	}
}

func TestFakeEd25519Switch(t *testing.T) {
	const pw = "ed pw"
	addr := startFake(t, "tcp", nil, fakeCaps, func(fc *fakeConn) error {
		if err := fc.greet(PluginNativePassword); err != nil {
			return err
		}
		msg := make([]byte, 32)
		rand.Read(msg)
		fc.WritePacket(append([]byte("\xfe"+PluginEd25519+"\x00"), msg...))
		sig, err := fc.read()
		if err != nil {
			return err
		}
		if !ed25519.Verify(Ed25519PublicKey(pw), msg, sig) {
			fc.WritePacket(AppendError(nil, 1045, "28000", "Access denied"))
			return nil
		}
		return fc.ok()
	})
	c, err := connectTest(t, &Config{Addr: addr, User: "u", Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	if c.AuthPlugin != PluginEd25519 {
		t.Errorf("final plugin %s", c.AuthPlugin)
	}
	var se *ServerError
	if _, err := connectTest(t, &Config{Addr: addr, User: "u", Password: "wrong"}); !errors.As(err, &se) || se.Code != 1045 {
		t.Fatalf("wrong password: %v", err)
	}
}

func TestFakeSHA256Password(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ca := newTestCA(t, "ca")
	const pw = "sha256 pw"
	addr := startFake(t, "tcp", nil, fakeCaps, func(fc *fakeConn) error {
		if err := fc.greet(PluginSHA256Password); err != nil {
			return err
		}
		if !bytes.Equal(fc.resp.auth, []byte{sha256RequestKey}) {
			return fmt.Errorf("expected a key request, got %x", fc.resp.auth)
		}
		fc.WritePacket(append([]byte{1}, pubPEM(key)...))
		pkt, err := fc.read()
		if err != nil {
			return err
		}
		if got, err := decryptPassword(key, fc.scramble, pkt); err != nil || got != pw {
			return fmt.Errorf("encrypted password %q, %v", got, err)
		}
		return fc.ok()
	})
	if _, err := connectTest(t, &Config{Addr: addr, User: "u", Password: pw, AllowPublicKeyRetrieval: true}); err != nil {
		t.Fatal(err)
	}
	// MySQL's sha256_password refuses a clear password over a unix socket
	// (error 1045): there too it must be RSA-encrypted.
	sockAddr := startFake(t, "unix", nil, fakeCaps, func(fc *fakeConn) error {
		if err := fc.greet(PluginSHA256Password); err != nil {
			return err
		}
		if !bytes.Equal(fc.resp.auth, []byte{sha256RequestKey}) {
			fc.WritePacket(AppendError(nil, 1045, "28000", "Access denied"))
			if len(fc.resp.auth) != 0 {
				return fmt.Errorf("over a unix socket: expected a key request or nothing, got %q", fc.resp.auth)
			}
			return nil
		}
		fc.WritePacket(append([]byte{1}, pubPEM(key)...))
		pkt, err := fc.read()
		if err != nil {
			return err
		}
		if got, err := decryptPassword(key, fc.scramble, pkt); err != nil || got != pw {
			return fmt.Errorf("over a unix socket: encrypted password %q, %v", got, err)
		}
		return fc.ok()
	})
	if _, err := connectTest(t, &Config{Net: "unix", Addr: sockAddr, User: "u", Password: pw, AllowPublicKeyRetrieval: true}); err != nil {
		t.Fatalf("over a unix socket: %v", err)
	}
	// Without a key the password is not sent: the server refuses the
	// empty answer.
	var se *ServerError
	if _, err := connectTest(t, &Config{Net: "unix", Addr: sockAddr, User: "u", Password: pw}); !errors.As(err, &se) || se.Code != 1045 {
		t.Fatalf("over a unix socket without key: %v, want the server's refusal", err)
	}
	tlsAddr := startFake(t, "tcp", ca.serverTLS(t, []string{"localhost"}, nil), fakeCaps, func(fc *fakeConn) error {
		if err := fc.greet(PluginSHA256Password); err != nil {
			return err
		}
		if string(fc.resp.auth) != pw+"\x00" || !fc.resp.tls {
			return fmt.Errorf("over TLS: answer %q (tls %v)", fc.resp.auth, fc.resp.tls)
		}
		return fc.ok()
	})
	// verify-ca accepts a certificate naming another host.
	c, err := connectTest(t, &Config{Addr: tlsAddr, User: "u", Password: pw, TLSMode: TLSVerifyCA, TLSConfig: &tls.Config{RootCAs: ca.pool()}})
	if err != nil {
		t.Fatal(err)
	}
	if !c.TLS || c.AuthPlugin != PluginSHA256Password {
		t.Errorf("TLS %v plugin %s", c.TLS, c.AuthPlugin)
	}
}

func TestFakeTLSModes(t *testing.T) {
	ca := newTestCA(t, "ca")
	other := newTestCA(t, "other")
	// The certificate names db.example only, not 127.0.0.1.
	addr := startFake(t, "tcp", ca.serverTLS(t, []string{"db.example"}, nil), fakeCaps, func(fc *fakeConn) error {
		if err := fc.greet(PluginNativePassword); err != nil {
			return err
		}
		if fc.resp.sslRequestSeen && !fc.resp.tls {
			return nil // the client refused the certificate
		}
		return fc.ok()
	})
	plain := startFake(t, "tcp", nil, fakeCaps, func(fc *fakeConn) error {
		if err := fc.greet(PluginNativePassword); err != nil {
			if errors.Is(err, io.EOF) {
				return nil // "required" hangs up on a server without TLS
			}
			return err
		}
		return fc.ok()
	})
	for _, tc := range []struct {
		name  string
		addr  string
		mode  TLSMode
		roots *tls.Config
		tls   bool
		fail  string
	}{
		{"disabled", addr, TLSDisabled, nil, false, ""},
		{"preferred", addr, TLSPreferred, nil, true, ""},
		{"preferred without server TLS", plain, TLSPreferred, nil, false, ""},
		{"required", addr, TLSRequired, nil, true, ""},
		{"required without server TLS", plain, TLSRequired, nil, false, "does not support TLS"},
		{"verify-ca", addr, TLSVerifyCA, &tls.Config{RootCAs: ca.pool()}, true, ""},
		{"verify-ca wrong CA", addr, TLSVerifyCA, &tls.Config{RootCAs: other.pool()}, false, "unknown authority"},
		{"verify-identity wrong name", addr, TLSVerifyIdentity, &tls.Config{RootCAs: ca.pool()}, false, "127.0.0.1"},
		{"verify-identity server name", addr, TLSVerifyIdentity, &tls.Config{RootCAs: ca.pool(), ServerName: "db.example"}, true, ""},
		{"verify-identity wrong CA", addr, TLSVerifyIdentity, &tls.Config{RootCAs: other.pool(), ServerName: "db.example"}, false, "unknown authority"},
	} {
		c, err := connectTest(t, &Config{Addr: tc.addr, User: "u", TLSMode: tc.mode, TLSConfig: tc.roots})
		if tc.fail != "" {
			if err == nil || !strings.Contains(err.Error(), tc.fail) {
				t.Errorf("%s: %v, want an error mentioning %q", tc.name, err, tc.fail)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if c.TLS != tc.tls {
			t.Errorf("%s: TLS %v, want %v", tc.name, c.TLS, tc.tls)
		}
	}
}

func TestFakeAuthErrors(t *testing.T) {
	addr := startFake(t, "tcp", nil, fakeCaps, func(fc *fakeConn) error {
		if err := fc.greet(PluginNativePassword); err != nil {
			return err
		}
		return fc.WritePacket(AppendError(nil, 1045, "28000", "Access denied for user 'u'"))
	})
	var se *ServerError
	_, err := connectTest(t, &Config{Addr: addr, User: "u", Password: "x"})
	if !errors.As(err, &se) || se.Code != 1045 || se.State != "28000" {
		t.Fatalf("ERR during auth: %v", err)
	}
	// ERR instead of a handshake (too many connections, host blocked).
	addr = startFake(t, "tcp", nil, fakeCaps, func(fc *fakeConn) error {
		return fc.WritePacket(AppendError(nil, 1040, "", "Too many connections"))
	})
	if _, err := connectTest(t, &Config{Addr: addr}); !errors.As(err, &se) || se.Code != 1040 {
		t.Fatalf("ERR handshake: %v", err)
	}
	// mysql_clear_password over plain TCP is refused by the client.
	addr = startFake(t, "tcp", nil, fakeCaps, func(fc *fakeConn) error {
		if err := fc.greet(PluginNativePassword); err != nil {
			return err
		}
		fc.WritePacket([]byte("\xfe" + PluginClearPassword + "\x00"))
		if pkt, err := fc.read(); err == nil {
			return fmt.Errorf("client sent %q for clear password over TCP", pkt)
		}
		return nil
	})
	if _, err := connectTest(t, &Config{Addr: addr, User: "u", Password: "x"}); !errors.Is(err, ErrAuth) {
		t.Fatalf("clear password over TCP: %v", err)
	}
	// An unknown plugin.
	addr = startFake(t, "tcp", nil, fakeCaps, func(fc *fakeConn) error {
		if err := fc.greet(PluginNativePassword); err != nil {
			return err
		}
		fc.WritePacket([]byte("\xfeauth_gssapi_client\x00xyz\x00"))
		fc.read()
		return nil
	})
	if _, err := connectTest(t, &Config{Addr: addr, User: "u"}); !errors.Is(err, ErrAuth) || !strings.Contains(err.Error(), "auth_gssapi_client") {
		t.Fatalf("unknown plugin: %v", err)
	}
	// A server that stalls the handshake: Timeout ends it.
	addr = startFake(t, "tcp", nil, fakeCaps, func(fc *fakeConn) error {
		time.Sleep(300 * time.Millisecond)
		return nil
	})
	start := time.Now()
	if _, err := connectTest(t, &Config{Addr: addr, Timeout: 50 * time.Millisecond}); err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("stalled handshake: %v after %v", err, time.Since(start))
	}
}

func TestParseHandshakeTruncated(t *testing.T) {
	// Every prefix of a valid handshake is rejected or parsed without panic.
	var full []byte
	full = append(full, 10)
	full = append(full, "8.4.3\x00"...)
	full = append(full, 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0xff, 0xff, 45, 2, 0, 0xff, 0xff, 21)
	full = append(full, make([]byte, 10)...)
	full = append(full, "abcdefghijkl\x00caching_sha2_password\x00"...)
	h, err := parseHandshake(full)
	if err != nil || h.plugin != PluginCachingSHA2Password || string(h.scramble) != "\x01\x02\x03\x04\x05\x06\x07\x08abcdefghijkl" || h.version != "8.4.3" {
		t.Fatalf("full handshake: %+v %v", h, err)
	}
	for i := range full {
		parseHandshake(full[:i])
	}
	if _, err := parseHandshake([]byte{9, 'x', 0}); err == nil {
		t.Error("protocol 9 accepted")
	}
}

// TestFakeEd25519SwitchZeroEnd: an ed25519 message whose last byte is zero
// is signed whole (a trailing NUL is only stripped from 21 or 33 bytes).
func TestFakeEd25519SwitchZeroEnd(t *testing.T) {
	const pw = "ed pw"
	for _, msgLen := range []int{32, 33} {
		addr := startFake(t, "tcp", nil, fakeCaps, func(fc *fakeConn) error {
			if err := fc.greet(PluginNativePassword); err != nil {
				return err
			}
			msg := make([]byte, 32)
			rand.Read(msg)
			msg[31] = 0
			sent := msg
			if msgLen == 33 {
				sent = append(append([]byte(nil), msg...), 0)
			}
			fc.WritePacket(append([]byte("\xfe"+PluginEd25519+"\x00"), sent...))
			sig, err := fc.read()
			if err != nil {
				return err
			}
			if !ed25519.Verify(Ed25519PublicKey(pw), msg, sig) {
				fc.WritePacket(AppendError(nil, 1045, "28000", "Access denied"))
				return nil
			}
			return fc.ok()
		})
		if _, err := connectTest(t, &Config{Addr: addr, User: "u", Password: pw}); err != nil {
			t.Fatalf("message of %d bytes ending in zero: %v", msgLen, err)
		}
	}
}
