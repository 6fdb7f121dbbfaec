package binlog

import (
	"bytes"
	"context"
	"io"
	"os"
	"testing"
)

// FuzzDecrypt encrypts a plaintext binlog with a fuzzed key, nonce and
// cipher (MariaDB AES-CBC or AES-CTR, or MySQL), optionally cuts it and
// flips a byte, and reads it back with the right key or a wrong one, the
// cipher given or detected; with mode 4–7 it reads the fuzzed bytes
// themselves as an encrypted file. Invariants: it never panics; every
// error is a positioned *Error; the unharmed file with the right key reads
// as the plaintext, byte for byte; a wrong key is an error, never events.
// Seeds: the recorded servers' plaintext streams.
func FuzzDecrypt(f *testing.F) {
	plains := [][]byte{fabricate(f, 4, 40)}
	for _, v := range []string{"enc-cbc.000002", "enc-nocrc.000003"} {
		if b, err := os.ReadFile(encryptedDir + "/mariadb-10_11-" + v + ".stream"); err == nil {
			plains = append(plains, b)
		}
	}
	f.Add(byte(0), []byte("0123456789abcdef"), []byte("nonce-nonce!"), uint16(0), uint16(0), []byte(nil))
	f.Add(byte(1), []byte("0123456789abcdef01234567"), []byte("abcdefghijkl"), uint16(300), uint16(0), []byte(nil))
	f.Add(byte(2), bytes.Repeat([]byte{7}, 32), []byte{}, uint16(0), uint16(777), []byte(nil))
	f.Add(byte(3), bytes.Repeat([]byte{7}, 32), []byte{1}, uint16(1000), uint16(5), []byte(nil))
	f.Add(byte(0x10), []byte("0123456789abcdef"), []byte("x"), uint16(0), uint16(0), []byte(nil))
	f.Add(byte(4), mysqlTestKey, []byte{}, uint16(0), uint16(0), encryptMySQL(f, fabricate(f, 2, 10), mysqlTestKeyID, mysqlTestKey, mysqlTestPass, mysqlTestIV))
	if len(plains) > 1 {
		enc, _ := encryptMariaDB(f, plains[1], []byte("0123456789abcdef"), [12]byte{}, CipherAESCBC)
		f.Add(byte(5), []byte("0123456789abcdef"), []byte{}, uint16(0), uint16(0), enc)
	}
	f.Fuzz(func(t *testing.T, mode byte, keySeed, nonceSeed []byte, cut, flip uint16, raw []byte) {
		if len(keySeed) == 0 {
			keySeed = []byte{0}
		}
		// A key of 16, 24 or 32 bytes from the seed.
		key := make([]byte, []int{16, 24, 32}[int(keySeed[0])%3])
		for i := range key {
			key[i] = keySeed[i%len(keySeed)] + byte(i)
		}
		var nonce [12]byte
		copy(nonce[:], nonceSeed)
		plain := plains[int(nonceSeed0(nonceSeed))%len(plains)]
		wrongKey := mode&0x10 != 0
		var data []byte
		keys := &Keys{MariaDB: map[uint32][]byte{1: key}, MySQLDefault: mysqlTestKey}
		switch mode & 7 {
		case 0, 1:
			c := []Cipher{CipherAESCBC, CipherAESCTR}[mode&1]
			data, plain = encryptMariaDB(t, plain, key, nonce, c)
			if mode&0x20 != 0 {
				keys.Cipher = c
			}
		case 2, 3:
			data = encryptMySQL(t, plain, mysqlTestKeyID, mysqlTestKey, mysqlTestPass, mysqlTestIV)
		default:
			data = raw
			wrongKey = false
		}
		if wrongKey {
			bad := bytes.Clone(key)
			bad[len(bad)-1] ^= 0x55
			keys.MariaDB[1] = bad
			w := bytes.Clone(mysqlTestKey)
			w[3] ^= 1
			keys.MySQLDefault = w
		}
		harmed := false
		if cut > 0 && int(cut) < len(data) {
			data, harmed = data[:cut], true
		}
		if flip > 0 && len(data) > 0 {
			data = bytes.Clone(data)
			data[int(flip)%len(data)] ^= 0x01
			harmed = true
		}
		src := NewStreamSource(bytes.NewReader(data), "fuzz")
		src.SetMaxEventSize(1 << 20)
		src.SetKeys(keys)
		got := []byte{0xfe, 'b', 'i', 'n'}
		var err error
		for {
			var b []byte
			b, err = src.ReadEvent(context.Background())
			if err != nil {
				break
			}
			got = append(got, b...)
		}
		if err != io.EOF {
			if _, ok := AsError(err); !ok {
				t.Fatalf("error without a position: %v", err)
			}
		}
		if mode&7 >= 4 {
			return
		}
		if !harmed && !wrongKey && (err != io.EOF || !bytes.Equal(got, plain)) {
			t.Fatalf("the unharmed file does not read as its plaintext: %v, differs at %d", err, byteDiff(got, plain))
		}
		if wrongKey && err == io.EOF && !harmed {
			t.Fatal("a wrong key read the whole file")
		}
		// Through a Reader too: no panic, positioned errors.
		r := NewReader(NewStreamSource(bytes.NewReader(data), "fuzz"), WithKeys(keys), WithMaxEventSize(1<<20))
		for _, err := range r.Events(context.Background()) {
			if err != nil {
				if _, ok := AsError(err); !ok {
					t.Fatalf("Reader: error without a position: %v", err)
				}
				break
			}
		}
	})
}

func nonceSeed0(b []byte) byte {
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// FuzzKeyFiles feeds arbitrary bytes to the key file parsers: MariaDB's
// file_key_management file (plain, or encrypted with a secret) and MySQL's
// component_keyring_file JSON. Invariants: no panic; a key file that parses
// holds only keys of 16, 24 or 32 bytes under ids above 0.
func FuzzKeyFiles(f *testing.F) {
	for _, name := range []string{"keys.txt", "keys-filekey.enc", "keys-filekey.txt", "mysql-9_7-keyring.json"} {
		if b, err := os.ReadFile(encryptedDir + "/" + name); err == nil {
			f.Add(b, "binlogkit-test-secret")
			f.Add(b, "")
		}
	}
	f.Add([]byte("1;00112233445566778899aabbccddeeff\n"), "")
	f.Fuzz(func(t *testing.T, data []byte, secret string) {
		if keys, err := parseMariaDBKeyFile(data, secret); err == nil {
			for id, k := range keys {
				if id == 0 || (len(k) != 16 && len(k) != 24 && len(k) != 32) {
					t.Fatalf("key %d of %d bytes", id, len(k))
				}
			}
		}
		parseMySQLKeyring(data)
	})
}
