package binlog

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// encryptedDir holds the project's recordings of MariaDB servers with
// encrypt_binlog=ON (testdata/record.sh), each file with the server's
// plaintext stream of it (.stream), and their test-only keys.
const encryptedDir = "../testdata/encrypted"

// encryptedVariants are the recorded variants and the cipher each used.
var encryptedVariants = []struct {
	name   string
	cipher Cipher
	crc    bool
}{
	{"enc-cbc", CipherAESCBC, true},
	{"enc-ctr", CipherAESCTR, true},
	{"enc-filekey", CipherAESCBC, true},
	{"enc-nocrc", CipherAESCBC, false},
}

// encryptedFiles returns the encrypted files of a variant.
func encryptedFiles(t testing.TB, variant string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(encryptedDir, "mariadb-10_11-"+variant+".00000?"))
	if len(files) < 4 {
		t.Fatalf("recorded %s files: %v", variant, files)
	}
	return files
}

// variantKeys returns the keys a variant was recorded with.
func variantKeys(t testing.TB, variant string, c Cipher) *Keys {
	t.Helper()
	k := &Keys{Cipher: c}
	var err error
	if variant == "enc-filekey" {
		err = k.ReadMariaDBKeyFile(filepath.Join(encryptedDir, "keys-filekey.enc"), "FILE:"+filepath.Join(encryptedDir, "filekey.txt"))
	} else {
		err = k.ReadMariaDBKeyFile(filepath.Join(encryptedDir, "keys.txt"), "")
	}
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// rawEvents reads every event of src and returns them after the magic, as
// a file holds them.
func rawEvents(t testing.TB, src Source) ([]byte, error) {
	t.Helper()
	out := append([]byte(nil), event.Magic[:]...)
	for {
		b, err := src.ReadEvent(context.Background())
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, b...)
	}
}

// TestDecryptRecordedMariaDB: every recorded encrypted file, decrypted with
// its key (cipher given or detected; memory-mapped, buffered from a pipe,
// gzip-compressed), is byte for byte the server's plaintext stream of it,
// and decodes.
func TestDecryptRecordedMariaDB(t *testing.T) {
	for _, v := range encryptedVariants {
		for _, c := range []Cipher{CipherDetect, v.cipher} {
			keys := variantKeys(t, v.name, c)
			for _, path := range encryptedFiles(t, v.name) {
				want, err := os.ReadFile(path + ".stream")
				if err != nil {
					t.Fatal(err)
				}
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if bytes.Equal(data, want) {
					t.Fatalf("%s is not encrypted", path)
				}
				var gz bytes.Buffer
				zw := gzip.NewWriter(&gz)
				zw.Write(data)
				zw.Close()
				for _, how := range []string{"mapped", "buffered", "gzip"} {
					var src *StreamSource
					switch how {
					case "mapped":
						if src, err = OpenFile(path); err != nil {
							t.Fatal(err)
						}
					case "buffered":
						src = NewStreamSource(io.NopCloser(bytes.NewReader(data)), path)
					case "gzip":
						src = NewStreamSource(bytes.NewReader(gz.Bytes()), path)
					}
					src.SetKeys(keys)
					got, err := rawEvents(t, src)
					src.Close()
					if err != nil {
						t.Fatalf("%s (%s, %v): %v", path, how, c, err)
					}
					if !bytes.Equal(got, want) {
						t.Fatalf("%s (%s, %v): decrypted %d bytes differ from the server's stream of %d bytes at byte %d",
							path, how, c, len(got), len(want), byteDiff(got, want))
					}
				}
			}
		}
		// Through a Reader over all the files: every event decodes, rows
		// included, with the positions of the files.
		src := OpenFiles(encryptedFiles(t, v.name)...)
		r := NewReader(src, WithKeys(variantKeys(t, v.name, CipherDetect)))
		rows, n := 0, 0
		for ev, err := range r.Events(context.Background()) {
			if err != nil {
				t.Fatalf("%s: %v", v.name, err)
			}
			n++
			if ev.Header.LogPos != 0 && uint64(ev.Header.LogPos) != ev.NextPos && !ev.InPayload {
				t.Errorf("%s at %d: end_log_pos %d, next position %d", ev.File, ev.Pos, ev.Header.LogPos, ev.NextPos)
			}
			if _, ok := ev.Body.(*event.Rows); ok {
				rows++
			}
		}
		src.Close()
		if rows < 20 || r.Undecoded() != 0 {
			t.Errorf("%s: %d events, %d rows events, %d undecoded", v.name, n, rows, r.Undecoded())
		}
	}
}

func byteDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestEncryptMariaDBMatchesServer: the tests' encryption (encrypt_test.go)
// turns the server's plaintext stream into the very bytes the server
// stored, so the synthetic files of the other tests are faithful.
func TestEncryptMariaDBMatchesServer(t *testing.T) {
	for _, v := range encryptedVariants {
		keys := variantKeys(t, v.name, v.cipher)
		for _, path := range encryptedFiles(t, v.name) {
			stored, _ := os.ReadFile(path)
			stream, _ := os.ReadFile(path + ".stream")
			got, again := encryptMariaDB(t, stream, keys.MariaDB[1], [12]byte{}, v.cipher)
			if !bytes.Equal(again, stream) {
				t.Fatalf("%s: the stream of the encryption is not the server's", path)
			}
			if !bytes.Equal(got, stored) {
				t.Fatalf("%s: encrypted %d bytes, the server stored %d; first difference at %d", path, len(got), len(stored), byteDiff(got, stored))
			}
		}
	}
}

// TestCase36EncryptingServerStream (../shared/TESTCASES.md 36): the
// plaintext stream of a server with encrypt_binlog=ON (what binlogdump
// --remote reads, what mariadb-binlog --raw and binlogbackup store) holds
// START_ENCRYPTION flagged ignorable; it reads like any binlog, without
// keys.
func TestCase36EncryptingServerStream(t *testing.T) {
	files := encryptedFiles(t, "enc-cbc")
	var streams []string
	for _, f := range files {
		streams = append(streams, f+".stream")
	}
	r := NewReader(OpenFiles(streams...))
	starts, rows := 0, 0
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		switch b := ev.Body.(type) {
		case *event.MariaStartEncryption:
			if ev.Header.Flags&event.FlagIgnorable == 0 || b.Scheme != 1 || b.KeyVersion != 1 {
				t.Errorf("START_ENCRYPTION %+v flags %#x", b, ev.Header.Flags)
			}
			starts++
		case *event.Rows:
			rows++
		}
	}
	if starts != len(files) || rows < 20 {
		t.Errorf("%d START_ENCRYPTION events in %d files, %d rows events", starts, len(files), rows)
	}
}

// TestDecryptMissingAndWrongKeys: without the key, or with a wrong key or
// cipher, the error names the key, at the first encrypted event, after the
// events before it; nothing is decoded from garbage.
func TestDecryptMissingAndWrongKeys(t *testing.T) {
	path := encryptedFiles(t, "enc-cbc")[0]
	nocrc := encryptedFiles(t, "enc-nocrc")[0]
	ctr := encryptedFiles(t, "enc-ctr")[0]
	right := variantKeys(t, "enc-cbc", CipherDetect)
	wrongKey := &Keys{MariaDB: map[uint32][]byte{1: right.MariaDB[2]}}
	otherBits := &Keys{MariaDB: map[uint32][]byte{1: append(bytes.Clone(right.MariaDB[1][:31]), right.MariaDB[1][31]^1)}}
	cases := []struct {
		name string
		path string
		keys KeyProvider
		want error
	}{
		{"no keys", path, nil, ErrNoKey},
		{"no key 1", path, &Keys{MariaDB: map[uint32][]byte{2: right.MariaDB[2]}}, ErrNoKey},
		{"wrong key", path, wrongKey, ErrWrongKey},
		{"one bit off", path, otherBits, ErrWrongKey},
		{"wrong key, no checksums", nocrc, wrongKey, ErrWrongKey},
		{"CBC given for a CTR file", ctr, &Keys{MariaDB: right.MariaDB, Cipher: CipherAESCBC}, ErrWrongKey},
		{"CTR given for a CBC file", path, &Keys{MariaDB: right.MariaDB, Cipher: CipherAESCTR}, ErrWrongKey},
		{"MySQL keys only", path, &Keys{MySQLDefault: make([]byte, 32)}, ErrNoKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src, err := OpenFile(c.path)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			var opts []Option
			if c.keys != nil {
				opts = append(opts, WithKeys(c.keys))
			}
			r := NewReader(src, opts...)
			var types []event.Type
			for {
				ev, err2 := r.Next(context.Background())
				if err2 != nil {
					err = err2
					break
				}
				types = append(types, ev.Header.Type)
			}
			var pe *Error
			var ke *KeyError
			if !errors.Is(err, c.want) || !errors.As(err, &pe) || !errors.As(err, &ke) {
				t.Fatalf("%v, want %v", err, c.want)
			}
			// FDE (4..256), START_ENCRYPTION (256..296): the error at 296
			// (292 without checksums).
			at := uint64(296)
			if c.path == nocrc {
				at = 292
			}
			if pe.File != c.path || pe.Offset != at || ke.Key != (KeyID{ID: 1, Version: 1}) {
				t.Errorf("error at %s:%d for %v: %v", pe.File, pe.Offset, ke.Key, err)
			}
			if len(types) != 2 || types[0] != event.FormatDescriptionEvent || types[1] != event.MariaStartEncryptionEvent {
				t.Errorf("events before the error: %v", types)
			}
			if !strings.Contains(err.Error(), "MariaDB key 1 (version 1)") {
				t.Errorf("message %q does not name the key", err)
			}
		})
	}
}

// TestOpenFileAtEncrypted: OpenFileAt on an encrypted MariaDB file returns
// the FORMAT_DESCRIPTION, the START_ENCRYPTION (which the events after it
// need) and the events from the offset, decrypted, at their positions.
func TestOpenFileAtEncrypted(t *testing.T) {
	path := encryptedFiles(t, "enc-ctr")[0]
	keys := variantKeys(t, "enc-ctr", CipherDetect)
	stream, _ := os.ReadFile(path + ".stream")
	// The positions of the stream's events.
	var offs []uint64
	for p := event.MagicLen; p < len(stream); p += int(uint32(stream[p+9]) | uint32(stream[p+10])<<8 | uint32(stream[p+11])<<16 | uint32(stream[p+12])<<24) {
		offs = append(offs, uint64(p))
	}
	for _, at := range []uint64{offs[2], offs[len(offs)/2], offs[len(offs)-1]} {
		src, err := OpenFileAt(path, at)
		if err != nil {
			t.Fatal(err)
		}
		src.SetKeys(keys)
		got, err := rawEvents(t, src)
		src.Close()
		if err != nil {
			t.Fatalf("at %d: %v", at, err)
		}
		want := append(append([]byte(nil), stream[:offs[2]]...), stream[at:]...)
		if !bytes.Equal(got, want) {
			t.Fatalf("at %d: differs at byte %d", at, byteDiff(got, want))
		}
	}
}

// TestReadMariaDBKeyFile: the plain and the encrypted key file give the
// same keys the plaintext says, with the secret given or read from a file;
// a wrong or missing secret is refused.
func TestReadMariaDBKeyFile(t *testing.T) {
	var plain, enc, enc2 Keys
	if err := plain.ReadMariaDBKeyFile(filepath.Join(encryptedDir, "keys-filekey.txt"), ""); err != nil {
		t.Fatal(err)
	}
	if len(plain.MariaDB) != 2 || len(plain.MariaDB[1]) != 16 || len(plain.MariaDB[2]) != 24 {
		t.Fatalf("keys %x", plain.MariaDB)
	}
	if err := enc.ReadMariaDBKeyFile(filepath.Join(encryptedDir, "keys-filekey.enc"), "binlogkit-test-secret"); err != nil {
		t.Fatal(err)
	}
	if err := enc2.ReadMariaDBKeyFile(filepath.Join(encryptedDir, "keys-filekey.enc"), "FILE:"+filepath.Join(encryptedDir, "filekey.txt")); err != nil {
		t.Fatal(err)
	}
	for id, k := range plain.MariaDB {
		if !bytes.Equal(enc.MariaDB[id], k) || !bytes.Equal(enc2.MariaDB[id], k) {
			t.Errorf("key %d: %x / %x, want %x", id, enc.MariaDB[id], enc2.MariaDB[id], k)
		}
	}
	var k Keys
	if err := k.ReadMariaDBKeyFile(filepath.Join(encryptedDir, "keys-filekey.enc"), "wrong secret"); err == nil || !strings.Contains(err.Error(), "wrong file key") {
		t.Errorf("wrong secret: %v", err)
	}
	if err := k.ReadMariaDBKeyFile(filepath.Join(encryptedDir, "keys-filekey.enc"), ""); err == nil || !strings.Contains(err.Error(), "file key") {
		t.Errorf("no secret: %v", err)
	}
	if err := k.ReadMariaDBKeyFile(filepath.Join(encryptedDir, "keys.txt"), "secret"); err == nil {
		t.Error("a secret for a plain file was accepted")
	}
	for _, bad := range []string{"1;abc\n", "x;00112233445566778899aabbccddeeff\n", "0;00112233445566778899aabbccddeeff\n",
		"1:00112233445566778899aabbccddeeff\n", "# only a comment\n", "4294967296;00112233445566778899aabbccddeeff\n"} {
		if _, err := parseMariaDBKeyFile([]byte(bad), ""); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	keys, err := parseMariaDBKeyFile([]byte("  # comment\r\n\n1;00112233445566778899AABBCCDDEEFF\r\n 7;00112233445566778899aabbccddeeff0011223344556677 # trailing\n"), "")
	if err != nil || len(keys) != 2 || keys[1][15] != 0xff || len(keys[7]) != 24 {
		t.Errorf("%x %v", keys, err)
	}
}

// mysqlTestKey is the keyring key of the synthetic MySQL files.
var (
	mysqlTestKeyID = "MySQLReplicationKey_4a5d5bd0-6a5e-11ef-8d3b-0242ac110002_1"
	mysqlTestKey   = bytes.Repeat([]byte{0x42}, 32)
	mysqlTestPass  = []byte("0123456789abcdef0123456789abcdef")
	mysqlTestIV    = [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
)

// eventOffsets returns the offsets of the events of a plaintext binlog.
func eventOffsets(b []byte) []uint64 {
	var offs []uint64
	for p := event.MagicLen; p+event.HeaderLen <= len(b); {
		offs = append(offs, uint64(p))
		p += int(uint32(b[p+9]) | uint32(b[p+10])<<8 | uint32(b[p+11])<<16 | uint32(b[p+12])<<24)
	}
	return offs
}

// TestDecryptMySQL: a MySQL encrypted file (made per the format of MySQL's
// sources: 512-byte header, AES-256-CTR from the magic on) reads as its
// plaintext, at the plaintext's positions, from a mapped-size file, a pipe
// and a gzip stream, from the start or from OpenFileAt's offset, with the
// keyring key or a raw key.
func TestDecryptMySQL(t *testing.T) {
	plain := bigBinlog(t, 1<<20)
	enc := encryptMySQL(t, plain, mysqlTestKeyID, mysqlTestKey, mysqlTestPass, mysqlTestIV)
	path := filepath.Join(t.TempDir(), "binlog.000007")
	os.WriteFile(path, enc, 0o644)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(enc)
	zw.Close()
	gzPath := path + ".gz"
	os.WriteFile(gzPath, gz.Bytes(), 0o644)
	offs := eventOffsets(plain)
	for _, keys := range []*Keys{
		{MySQL: map[string][]byte{mysqlTestKeyID: mysqlTestKey}},
		{MySQLDefault: mysqlTestKey},
	} {
		for _, how := range []string{"file", "pipe", "gzip"} {
			var src *StreamSource
			var err error
			switch how {
			case "file":
				src, err = OpenFile(path)
			case "pipe":
				src = NewStreamSource(bytes.NewReader(enc), "pipe")
			case "gzip":
				src, err = OpenFile(gzPath)
			}
			if err != nil {
				t.Fatal(err)
			}
			r := NewReader(src, WithKeys(keys))
			i := 0
			for ev, err := range r.Events(context.Background()) {
				if err != nil {
					t.Fatalf("%s: %v", how, err)
				}
				if ev.InPayload {
					continue
				}
				if i >= len(offs) || ev.Pos != offs[i] || !bytes.Equal(ev.Raw, plain[offs[i]:ev.NextPos]) {
					t.Fatalf("%s: event %d at %d differs from the plaintext's", how, i, ev.Pos)
				}
				i++
			}
			src.Close()
			if i != len(offs) {
				t.Fatalf("%s: %d events, want %d", how, i, len(offs))
			}
		}
		for _, p := range []string{path, gzPath} {
			for _, at := range []uint64{offs[1], offs[len(offs)/3] + 0, offs[len(offs)-1]} {
				src, err := OpenFileAt(p, at)
				if err != nil {
					t.Fatal(err)
				}
				src.SetKeys(keys)
				got, err := rawEvents(t, src)
				src.Close()
				want := append(append([]byte(nil), plain[:offs[1]]...), plain[at:]...)
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("%s at %d: %v, differs at %d", p, at, err, byteDiff(got, want))
				}
			}
		}
	}
	// Past the end, and inside the first event.
	for _, at := range []uint64{uint64(len(plain)) + 1, offs[1] - 3} {
		src, err := OpenFileAt(path, at)
		if err != nil {
			t.Fatal(err)
		}
		src.SetKeys(&Keys{MySQLDefault: mysqlTestKey})
		_, err = src.ReadEvent(context.Background())
		src.Close()
		var pe *Error
		if !errors.As(err, &pe) || pe.Offset != at {
			t.Errorf("OpenFileAt %d: %v", at, err)
		}
	}
}

// TestDecryptMySQLKeys: a missing or wrong MySQL key is reported with the
// keyring key id before any event; a cut file ends with a positioned
// truncation error; a damaged header is refused.
func TestDecryptMySQLKeys(t *testing.T) {
	plain := bigBinlog(t, 64<<10)
	enc := encryptMySQL(t, plain, mysqlTestKeyID, mysqlTestKey, mysqlTestPass, mysqlTestIV)
	read := func(data []byte, keys KeyProvider) (int, error) {
		r := NewReader(NewStreamSource(bytes.NewReader(data), "binlog.000007"), WithKeys(keys))
		n := 0
		for _, err := range r.Events(context.Background()) {
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}
	wrong := bytes.Clone(mysqlTestKey)
	wrong[0] ^= 0x80
	for _, c := range []struct {
		name string
		keys KeyProvider
		want error
	}{
		{"no key", &Keys{}, ErrNoKey},
		{"other id", &Keys{MySQL: map[string][]byte{"MySQLReplicationKey_x_1": mysqlTestKey}}, ErrNoKey},
		{"MariaDB keys only", &Keys{MariaDB: map[uint32][]byte{1: mysqlTestKey}}, ErrNoKey},
		{"wrong key", &Keys{MySQLDefault: wrong}, ErrWrongKey},
		{"short key", &Keys{MySQLDefault: wrong[:16]}, ErrWrongKey},
	} {
		n, err := read(enc, c.keys)
		var ke *KeyError
		var pe *Error
		if n != 0 || !errors.Is(err, c.want) || !errors.As(err, &ke) || ke.Key.MySQL != mysqlTestKeyID || !errors.As(err, &pe) || pe.File != "binlog.000007" {
			t.Errorf("%s: %d events, %v", c.name, n, err)
		}
		if !strings.Contains(err.Error(), mysqlTestKeyID) {
			t.Errorf("%s: %q does not name the key", c.name, err)
		}
	}
	if _, err := read(enc, nil); !errors.Is(err, ErrNoKey) {
		t.Errorf("without WithKeys: %v", err)
	}
	// Cut inside an event: a positioned truncation error, at a plaintext
	// position.
	offs := eventOffsets(plain)
	cut := offs[len(offs)/2+1] - 2 // inside the body
	n, err := read(enc[:mysqlEncHeaderLen+cut], &Keys{MySQLDefault: mysqlTestKey})
	var pe *Error
	if !errors.Is(err, ErrTruncated) || !errors.As(err, &pe) || pe.Offset != offs[len(offs)/2] || n < len(offs)/2 {
		t.Errorf("cut file: %d events, %v", n, err)
	}
	// Damaged headers.
	for name, mod := range map[string]func(h []byte) []byte{
		"cut header":      func(h []byte) []byte { return h[:300] },
		"version 2":       func(h []byte) []byte { h[4] = 2; return h },
		"unknown field":   func(h []byte) []byte { h[5] = 9; return h },
		"key id too long": func(h []byte) []byte { h[6] = 255; return h },
		"no password": func(h []byte) []byte {
			return append(append(h[:7+len(mysqlTestKeyID)], make([]byte, 512-7-len(mysqlTestKeyID))...), h[512:]...)
		},
	} {
		h := mod(bytes.Clone(enc))
		if _, err := read(h, &Keys{MySQLDefault: mysqlTestKey}); err == nil || !errors.As(err, &pe) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestReadMySQLKeyring reads component_keyring_file's JSON.
func TestReadMySQLKeyring(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyring.json")
	os.WriteFile(path, []byte(`{"version":"1.0","elements":[`+
		`{"user":"","data_id":"MySQLReplicationKey_uuid_1","data_type":"AES","data":"`+strings.Repeat("42", 32)+`","extension":[]},`+
		`{"user":"","data_id":"MySQLReplicationKey_uuid","data_type":"SECRET","data":"01000000","extension":[]}]}`), 0o644)
	var k Keys
	if err := k.ReadMySQLKeyring(path); err != nil {
		t.Fatal(err)
	}
	key, err := k.Key(KeyID{MySQL: "MySQLReplicationKey_uuid_1"})
	if err != nil || !bytes.Equal(key.Bytes, mysqlTestKey) || len(k.MySQL) != 1 {
		t.Errorf("%x %v %v", key.Bytes, err, k.MySQL)
	}
	for _, bad := range []string{`{`, `{"elements":[]}`, `{"version":"1.0","elements":[{"data_id":"a","data_type":"AES","data":"xyz"}]}`} {
		if _, err := parseMySQLKeyring([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// encryptedInputs returns a plaintext binlog of about size bytes (the
// recorded workload, repeated) and its encryptions: MariaDB AES-CBC and
// AES-CTR, MySQL.
func encryptedInputs(tb testing.TB, size int) (plain []byte, enc map[string][]byte, keys *Keys) {
	tb.Helper()
	plain = bigBinlog(tb, size)
	key := bytes.Repeat([]byte{0x17}, 32)
	nonce := [12]byte{9, 8, 7, 6, 5, 4, 3, 2, 1}
	cbc, _ := encryptMariaDB(tb, plain, key, nonce, CipherAESCBC)
	ctr, _ := encryptMariaDB(tb, plain, key, nonce, CipherAESCTR)
	enc = map[string][]byte{
		"mariadb-cbc": cbc,
		"mariadb-ctr": ctr,
		"mysql":       encryptMySQL(tb, plain, mysqlTestKeyID, mysqlTestKey, mysqlTestPass, mysqlTestIV),
	}
	keys = &Keys{MariaDB: map[uint32][]byte{1: key}, MySQL: map[string][]byte{mysqlTestKeyID: mysqlTestKey}}
	return plain, enc, keys
}

// TestDecryptDoesNotAllocate: once warmed up, reading an encrypted file
// allocates nothing per event, through the Source and through the Reader.
func TestDecryptDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	_, enc, keys := encryptedInputs(t, 8<<20)
	ctx := context.Background()
	for name, data := range enc {
		path := filepath.Join(t.TempDir(), "bin.000001")
		os.WriteFile(path, data, 0o644)
		src, err := OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src.SetKeys(keys)
		for i := 0; i < 3000; i++ { // warm up: one pass over the recording
			if _, err := src.ReadEvent(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if a := testing.AllocsPerRun(5000, func() {
			if _, err := src.ReadEvent(ctx); err != nil {
				t.Fatal(err)
			}
		}); a != 0 {
			t.Errorf("%s: StreamSource.ReadEvent allocates %.2f times per event", name, a)
		}
		src.Close()

		src, _ = OpenFile(path)
		r := NewReader(src, WithKeys(keys))
		for i := 0; i < 3000; i++ {
			if _, err := r.Next(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if a := testing.AllocsPerRun(5000, func() {
			if _, err := r.Next(ctx); err != nil {
				t.Fatal(err)
			}
		}); a != 0 {
			t.Errorf("%s: Reader.Next allocates %.2f times per event", name, a)
		}
		src.Close()
	}
}

// TestDecryptParallel: Parallel over an encrypted file gives the events a
// single Reader gives.
func TestDecryptParallel(t *testing.T) {
	_, enc, keys := encryptedInputs(t, 2<<20)
	for name, data := range enc {
		path := filepath.Join(t.TempDir(), "bin.000001")
		os.WriteFile(path, data, 0o644)
		want := 0
		src, _ := OpenFile(path)
		for _, err := range NewReader(src, WithKeys(keys)).Events(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			want++
		}
		src.Close()
		src, _ = OpenFile(path)
		got := 0
		err := Parallel(context.Background(), src, ParallelOptions{Workers: 3, BatchBytes: 64 << 10, ReaderOptions: []Option{WithKeys(keys)}},
			func() func(context.Context, *Batch) (int, error) {
				return func(ctx context.Context, b *Batch) (int, error) {
					n := 0
					for _, err := range b.Reader().Events(ctx) {
						if err != nil {
							return n, err
						}
						n++
					}
					return n, nil
				}
			}, func(n int) error { got += n; return nil })
		src.Close()
		if err != nil || got != want {
			t.Errorf("%s: %d events in parallel, %d in sequence, %v", name, got, want, err)
		}
	}
}

// TestDecryptRecordedMySQL: the recorded MySQL 9.7 encrypted files
// (binlog_encryption=ON, component_keyring_file; see
// TestIntegrationMySQLEncrypted), decrypted with the recorded keyring,
// are byte for byte the server's plaintext stream of them; with a raw key
// too; and a wrong keyring key is refused.
func TestDecryptRecordedMySQL(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(encryptedDir, "mysql-9_7-enc.00000?"))
	if len(files) < 2 {
		t.Fatalf("recorded MySQL files: %v", files)
	}
	var keys Keys
	if err := keys.ReadMySQLKeyring(filepath.Join(encryptedDir, "mysql-9_7-keyring.json")); err != nil {
		t.Fatal(err)
	}
	var id string
	for k, v := range keys.MySQL {
		if len(v) == 32 {
			id = k
		}
	}
	raw := &Keys{MySQLDefault: keys.MySQL[id]}
	for _, f := range files {
		want, _ := os.ReadFile(f + ".stream")
		for _, k := range []*Keys{&keys, raw} {
			src, err := OpenFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src.SetKeys(k)
			got, err := rawEvents(t, src)
			src.Close()
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("%s: %v; differs from the server's stream at %d", f, err, byteDiff(got, want))
			}
		}
		bad := bytes.Clone(keys.MySQL[id])
		bad[31] ^= 1
		src, _ := OpenFile(f)
		src.SetKeys(&Keys{MySQL: map[string][]byte{id: bad}})
		_, err := src.ReadEvent(context.Background())
		src.Close()
		if !errors.Is(err, ErrWrongKey) || !strings.Contains(err.Error(), id) {
			t.Errorf("%s with a wrong key: %v", f, err)
		}
	}
}

// TestDecryptFallback: the block-by-block CBC and CTR decryption (for a
// standard library whose CBC decrypter cannot take a new IV, or whose CTR
// cannot seek) gives the server's stream too.
func TestDecryptFallback(t *testing.T) {
	noCBCSetIV = true
	defer func() { noCBCSetIV = false }()
	for _, v := range []string{"enc-filekey", "enc-ctr"} {
		keys := variantKeys(t, v, CipherDetect)
		for _, path := range encryptedFiles(t, v) {
			want, _ := os.ReadFile(path + ".stream")
			src, err := OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			src.SetKeys(keys)
			got, err := rawEvents(t, src)
			src.Close()
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("%s: %v, differs at %d", path, err, byteDiff(got, want))
			}
		}
	}
}

// TestDecryptBigEvents: events larger than the read buffer (read into the
// Source's growing buffer) decrypt like small ones, MariaDB and MySQL, from
// a file and from a pipe.
func TestDecryptBigEvents(t *testing.T) {
	plain := fabricate(t, 3, 3*readBufferSize+17)
	key := bytes.Repeat([]byte{0x33}, 24)
	for _, c := range []Cipher{CipherAESCBC, CipherAESCTR} {
		enc, stream := encryptMariaDB(t, plain, key, [12]byte{1, 2, 3}, c)
		for _, pipe := range []bool{false, true} {
			var src *StreamSource
			if pipe {
				src = NewStreamSource(io.NopCloser(bytes.NewReader(enc)), "pipe")
			} else {
				path := filepath.Join(t.TempDir(), "big")
				os.WriteFile(path, enc, 0o644)
				var err error
				if src, err = OpenFile(path); err != nil {
					t.Fatal(err)
				}
			}
			src.SetKeys(&Keys{MariaDB: map[uint32][]byte{1: key}})
			got, err := rawEvents(t, src)
			src.Close()
			if err != nil || !bytes.Equal(got, stream) {
				t.Fatalf("%v (pipe %v): %v, differs at %d", c, pipe, err, byteDiff(got, stream))
			}
		}
	}
	enc := encryptMySQL(t, plain, mysqlTestKeyID, mysqlTestKey, mysqlTestPass, mysqlTestIV)
	src := NewStreamSource(bytes.NewReader(enc), "pipe")
	src.SetKeys(&Keys{MySQLDefault: mysqlTestKey})
	got, err := rawEvents(t, src)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("MySQL: %v, differs at %d", err, byteDiff(got, plain))
	}
}
