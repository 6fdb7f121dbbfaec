package binlog

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/binary"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// The encryptions of MariaDB and MySQL binlogs, mirrors of decrypt.go for
// the tests: they turn a plaintext binlog into what the servers store, so
// that synthetic files (random keys and nonces, sizes of every kind, large
// inputs for the benchmarks) can be made. TestEncryptMariaDBMatchesServer
// checks them against the server's own files.

// encryptMariaDB returns the file a MariaDB server with encrypt_binlog=ON
// writes for the plaintext binlog plain (magic, FORMAT_DESCRIPTION, …):
// plain's START_ENCRYPTION after the FORMAT_DESCRIPTION (flagged ignorable
// in a server's stream) is kept, unflagged, with its nonce; without one, a
// START_ENCRYPTION with nonce is inserted. Every later event is encrypted
// with key in cipher c at its offset. It also returns the server's stream of
// the file: plain, with the inserted START_ENCRYPTION (flagged ignorable).
func encryptMariaDB(tb testing.TB, plain, key []byte, nonce [12]byte, c Cipher) (enc, stream []byte) {
	tb.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		tb.Fatal(err)
	}
	out := append([]byte(nil), plain[:event.MagicLen]...)
	stream = append([]byte(nil), out...)
	crc := false
	started := false
	for p := event.MagicLen; p+event.HeaderLen <= len(plain); {
		n := int(binary.LittleEndian.Uint32(plain[p+9:]))
		if n < event.HeaderLen || p+n > len(plain) {
			tb.Fatalf("plaintext binlog cut at %d", p)
		}
		ev := plain[p : p+n]
		p += n
		switch {
		case event.Type(ev[4]) == event.FormatDescriptionEvent:
			var m mariaCrypt
			m.noteFDE(ev)
			crc = m.crc
			out = append(out, ev...)
			stream = append(stream, ev...)
			continue
		case !started && event.Type(ev[4]) == event.MariaStartEncryptionEvent:
			se := append([]byte(nil), ev...)
			binary.LittleEndian.PutUint16(se[17:], binary.LittleEndian.Uint16(se[17:])&^event.FlagIgnorable)
			if crc {
				binary.LittleEndian.PutUint32(se[n-4:], event.Checksum(se[:n-4]))
			}
			copy(nonce[:], se[event.HeaderLen+5:])
			out = append(out, se...)
			stream = append(stream, ev...)
			started = true
			continue
		case !started:
			h := event.Header{Timestamp: binary.LittleEndian.Uint32(ev), ServerID: binary.LittleEndian.Uint32(ev[5:])}
			f := event.NewFormatDescription("10.11.19-MariaDB-log", event.ChecksumOff)
			if crc {
				f = event.NewFormatDescription("10.11.19-MariaDB-log", event.ChecksumCRC32)
			}
			h.LogPos = uint32(len(out) + event.HeaderLen + mariaStartEncBodyLen)
			if crc {
				h.LogPos += event.ChecksumLen
			}
			at := len(out)
			out, err = event.Append(out, h, &event.MariaStartEncryption{Scheme: 1, KeyVersion: 1, Nonce: nonce}, f)
			if err != nil {
				tb.Fatal(err)
			}
			se := append([]byte(nil), out[at:]...)
			binary.LittleEndian.PutUint16(se[17:], binary.LittleEndian.Uint16(se[17:])|event.FlagIgnorable)
			if crc {
				binary.LittleEndian.PutUint32(se[len(se)-4:], event.Checksum(se[:len(se)-4]))
			}
			stream = append(stream, se...)
			started = true
		}
		out = append(out, encryptMariaEvent(block, ev, nonce, uint32(len(out)), c)...)
		stream = append(stream, ev...)
	}
	return out, stream
}

// encryptMariaEvent encrypts one plaintext event to be stored at offset off.
func encryptMariaEvent(block cipher.Block, plain []byte, nonce [12]byte, off uint32, c Cipher) []byte {
	e := append([]byte(nil), plain...)
	copy(e[9:13], plain[0:4]) // the timestamp goes where the length was
	var iv [16]byte
	copy(iv[:], nonce[:])
	binary.LittleEndian.PutUint32(iv[12:], off)
	data := e[4:]
	if c == CipherAESCTR {
		cipher.NewCTR(block, iv[:]).XORKeyStream(data, data)
	} else {
		whole := len(data) &^ 15
		cipher.NewCBCEncrypter(block, iv[:]).CryptBlocks(data[:whole], data[:whole])
		var mask [16]byte
		block.Encrypt(mask[:], iv[:])
		subtle.XORBytes(data[whole:], data[whole:], mask[:len(data)-whole])
	}
	// The ciphertext of the timestamp is stored first, the length where a
	// reader frames events.
	copy(e[0:4], e[9:13])
	binary.LittleEndian.PutUint32(e[9:13], uint32(len(plain)))
	return e
}

// encryptMySQL returns the file a MySQL server with binlog_encryption=ON
// writes for the plaintext binlog plain, its file password (32 bytes)
// encrypted with the keyring key masterKey named keyID, with iv.
func encryptMySQL(tb testing.TB, plain []byte, keyID string, masterKey, password []byte, iv [16]byte) []byte {
	tb.Helper()
	hdr := make([]byte, mysqlEncHeaderLen)
	copy(hdr, mysqlEncMagic)
	hdr[4] = 1
	p := 5
	hdr[p], hdr[p+1] = 1, byte(len(keyID))
	p += 2 + copy(hdr[p+2:], keyID)
	mk, err := aes.NewCipher(masterKey)
	if err != nil {
		tb.Fatal(err)
	}
	hdr[p] = 2
	cipher.NewCBCEncrypter(mk, iv[:]).CryptBlocks(hdr[p+1:p+33], password)
	p += 33
	hdr[p] = 3
	copy(hdr[p+1:], iv[:])
	d := sha512.Sum512(password)
	fk, _ := aes.NewCipher(d[:32])
	var fiv [16]byte
	copy(fiv[:8], d[32:40]) // the last 8 bytes are the block counter
	out := append(hdr, make([]byte, len(plain))...)
	cipher.NewCTR(fk, fiv[:]).XORKeyStream(out[mysqlEncHeaderLen:], plain)
	return out
}
