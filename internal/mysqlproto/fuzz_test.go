package mysqlproto

import (
	"context"
	"io"
	"net"
	"testing"
	"time"
)

// packets frames payloads with headers and sequence ids from first.
func packets(first uint8, payloads ...[]byte) []byte {
	var out []byte
	seq := first
	for _, p := range payloads {
		out = append(out, byte(len(p)), byte(len(p)>>8), byte(len(p)>>16), seq)
		out = append(out, p...)
		seq++
	}
	return out
}

// FuzzClient plays arbitrary server bytes to the client: the handshake,
// authentication and a text query must end in an error or a result, never
// a panic or a hang.
func FuzzClient(f *testing.F) {
	scramble := []byte("abcdefghijklmnopqrst")
	hs := appendServerHandshake(nil, ServerAuth{Version: "10.11.6-MariaDB", ConnectionID: 7}, scramble)
	ok := AppendOK(nil, 0, 0, 2)
	col := AppendLenEncString(nil, "def")
	for range 3 {
		col = AppendLenEncString(col, "")
	}
	col = AppendLenEncString(col, "a")
	col = AppendLenEncString(col, "a")
	col = append(col, 0x0c, 45, 0, 0, 0, 1, 0, 0xfd, 0, 0, 0x1f, 0, 0)
	row := AppendLenEncString(nil, "1")
	dialog := append(packets(0, hs), packets(2, ok)...)
	f.Add(append(dialog, packets(1, []byte{1}, col, AppendEOF(nil, 2), row, []byte{0xfb}, AppendEOF(nil, 2))...))
	f.Add(append(dialog, packets(1, AppendError(nil, 1064, "42000", "syntax"))...))
	switchPkt := append(append([]byte{0xfe}, "caching_sha2_password\x00"...), scramble...)
	f.Add(append(packets(0, hs), packets(2, switchPkt, []byte{1, 3}, ok)...))
	f.Add(append(packets(0, hs), packets(2, []byte{1, 4}, []byte{1, '-', '-'})...))
	f.Fuzz(func(t *testing.T, data []byte) {
		cl, sv := net.Pipe()
		defer cl.Close()
		go io.Copy(io.Discard, sv)
		go func() {
			sv.Write(data)
			sv.Close()
		}()
		cl.SetDeadline(time.Now().Add(5 * time.Second))
		c := &Client{PacketConn: NewPacketConn(cl), cfg: Config{User: "u", Password: "p", AllowPublicKeyRetrieval: true}}
		c.MaxPacket = 1 << 20
		if err := c.handshake(); err != nil {
			return
		}
		if res, err := c.Query(context.Background(), "SELECT 1"); err == nil {
			for _, r := range res.Rows {
				if len(r) != len(res.Columns) {
					t.Fatalf("row of %d fields for %d columns", len(r), len(res.Columns))
				}
			}
		}
	})
}

// FuzzParseHandshakeResponse decodes arbitrary client handshake responses.
func FuzzParseHandshakeResponse(f *testing.F) {
	resp := []byte{0x0d, 0xa2, 0x3a, 0x00, 0, 0, 0, 1, 45}
	resp = append(resp, make([]byte, 23)...)
	resp = append(resp, "root\x00"...)
	resp = AppendLenEncString(resp, "01234567890123456789")
	resp = append(resp, "mysql_native_password\x00"...)
	f.Add(resp)
	f.Add(resp[:32])
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseHandshakeResponse(b)
		if err == nil && len(r.AuthResponse) > len(b) {
			t.Fatal("auth response longer than the packet")
		}
	})
}

// FuzzParseDSN parses arbitrary data source names.
func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{"root@tcp(127.0.0.1:3306)/", "u:p@unix(/tmp/s)/db?tls=verify-ca&tls-ca=/x&timeout=5s",
		"u:p@/?charset=utf8mb4&sql_mode='ANSI'", "@tcp([::1]:3306)/?maxAllowedPacket=1024"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cfg, err := ParseDSN(s)
		if err == nil && cfg == nil {
			t.Fatal("nil Config without an error")
		}
	})
}

// FuzzLenEnc reads length-encoded fields from arbitrary bytes.
func FuzzLenEnc(f *testing.F) {
	f.Add([]byte{0xfc, 1, 0, 'x'})
	f.Add([]byte{0xfe, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Fuzz(func(t *testing.T, b []byte) {
		if s, n, _, err := ReadLenEncString(b); err == nil && (n > len(b) || len(s) > n) {
			t.Fatalf("read %d bytes of %d", n, len(b))
		}
		ReadNullString(b)
		ParseError(append([]byte{0xff}, b...))
	})
}
