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
			got := encryptMariaDB(t, stream, keys.MariaDB[1], [12]byte{}, v.cipher)
			if !bytes.Equal(got, stored) {
				t.Fatalf("%s: encrypted %d bytes, the server stored %d; first difference at %d", path, len(got), len(stored), byteDiff(got, stored))
			}
		}
	}
}

// TestStreamCopiesRead: the server's plaintext stream (what binlogdump
// --remote reads, what mariadb-binlog --raw and binlogbackup store) holds
// START_ENCRYPTION flagged ignorable; it reads like any binlog, without
// keys.
func TestStreamCopiesRead(t *testing.T) {
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
