package binlog

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"

	"github.com/binlogkit/binlogkit/event"
)

// Encrypted binlogs.
//
// MariaDB (encrypt_binlog=ON) keeps the magic, the FORMAT_DESCRIPTION and
// the START_ENCRYPTION event in plaintext and encrypts every later event on
// its own, in place: the stored event has its length at bytes 9–12, where
// framing finds it, and the encryption of bytes 4.. of the plaintext event
// whose bytes 9–12 held its timestamp, with the ciphertext of those 4 bytes
// moved to bytes 0–3. The IV is the START_ENCRYPTION nonce followed by the
// event's file offset (uint32, little-endian). The CRC32 covers the
// plaintext.
//
// MySQL 8.0.14+ (binlog_encryption=ON) writes a 512-byte header (the magic
// FD 62 69 6E, version 1, then type-length-value fields: the keyring key
// id, the 32-byte file password encrypted with that key in AES-256-CBC, the
// IV of that encryption) and then the whole ordinary binlog, from its
// "\xfebin" magic on, in AES-256-CTR with a key and IV derived from the file
// password. Positions in such a file are those of the plaintext binlog (the
// server's own: a file offset less 512), as the server reports them.

// mysqlEncMagic starts a MySQL encrypted binlog file.
var mysqlEncMagic = []byte{0xfd, 0x62, 0x69, 0x6e}

const (
	mysqlEncHeaderLen = 512
	mariaNonceLen     = 12
	// mariaStartEncBodyLen is a START_ENCRYPTION body: scheme (1), key
	// version (4), nonce (12).
	mariaStartEncBodyLen = 1 + 4 + mariaNonceLen
)

// SetKeys gives the keys of encrypted files (nil: none). It must be called
// before the first ReadEvent; a Reader created with WithKeys calls it.
//
// With keys, a MariaDB file's events are returned decrypted, as the server
// sends them to a replica: its START_ENCRYPTION event flagged ignorable
// (LOG_EVENT_IGNORABLE_F, checksum recomputed) and every later event in
// plaintext at its own position. A MySQL file is decrypted as it is read;
// its positions, in events and in errors, are those of the plaintext binlog
// (the file's offsets less its 512-byte encryption header), the ones the
// server reports and streams.
// Without the key, the events up to START_ENCRYPTION are returned (none of
// a MySQL file), then a *KeyError saying which key is needed; a wrong key
// is reported in the same way at the first encrypted event. Reading
// allocates nothing per event: a MariaDB event is decrypted into one buffer
// the Source reuses.
func (s *StreamSource) SetKeys(k KeyProvider) { s.keys = k }

// noCBCSetIV makes decryption use its own CBC and CTR loops instead of the
// standard library's (tests compare both).
var noCBCSetIV bool

// ctrAt is an AES-CTR stream that can XOR from any offset of its key
// stream, as the standard library's (Go 1.24+) can; without it, events are
// decrypted block by block.
type ctrAt interface {
	XORKeyStreamAt(dst, src []byte, offset uint64)
}

// ivSetter is a CBC decrypter that can be given a new IV (the standard
// library's can), so one serves every event.
type ivSetter interface {
	cipher.BlockMode
	SetIV([]byte)
}

// mariaCrypt is the decryption state of a MariaDB file.
type mariaCrypt struct {
	// From the FORMAT_DESCRIPTION: whether events carry a CRC32, and its
	// timestamp and server id (to judge a decryption without checksums).
	crc         bool
	fdeTime     uint32
	fdeServerID uint32

	on      bool // decrypting: a START_ENCRYPTION was met
	key     KeyID
	cipher  Cipher // CipherDetect until the first encrypted event tells
	checked bool   // the first encrypted event was found right
	nonce   [mariaNonceLen]byte
	block   cipher.Block
	cbc     ivSetter // the standard library's CBC decrypter, when it can take a new IV
	ctrAt   ctrAt    // the standard library's CTR from nonce‖0, when it can seek
	pending error    // a *KeyError to report at the next event
	buf     []byte   // the event last decrypted
	iv      [aes.BlockSize]byte
	ks      [aes.BlockSize]byte
	head    [aes.BlockSize]byte // the first block of ciphertext, assembled
}

// noteFDE takes what decryption needs from a FORMAT_DESCRIPTION.
func (m *mariaCrypt) noteFDE(raw []byte) {
	body := raw[event.HeaderLen:]
	n := event.FormatDescriptionBodyLen(body)
	m.crc = n < len(body) && n > 0 && event.ChecksumAlg(body[n-1]) == event.ChecksumCRC32
	m.fdeTime = binary.LittleEndian.Uint32(raw[0:4])
	m.fdeServerID = binary.LittleEndian.Uint32(raw[5:9])
}

// process handles an event of a file that may be MariaDB-encrypted: it
// follows the FORMAT_DESCRIPTION, starts decryption at START_ENCRYPTION
// and decrypts the events after it.
func (s *StreamSource) process(b []byte) ([]byte, error) {
	m := &s.mc
	if m.on {
		return s.decryptMaria(b)
	}
	switch event.Type(b[4]) {
	case event.FormatDescriptionEvent:
		m.noteFDE(b)
	case event.MariaStartEncryptionEvent:
		if binary.LittleEndian.Uint16(b[17:19])&event.FlagIgnorable != 0 {
			// From a server's replication stream (or a copy of one): the
			// events after it are plaintext.
			return b, nil
		}
		return s.startMaria(b)
	}
	return b, nil
}

// startMaria sets up decryption from a START_ENCRYPTION event and returns
// the event as a server streams it (flagged ignorable), or as it is when
// the key is missing (the error then comes with the next event).
func (s *StreamSource) startMaria(b []byte) ([]byte, error) {
	m := &s.mc
	body := b[event.HeaderLen:]
	if m.crc {
		if len(body) < event.ChecksumLen {
			return nil, s.fail(s.lastErr(event.MariaStartEncryptionEvent, fmt.Errorf("%w: START_ENCRYPTION of %d bytes", ErrCorrupt, len(b))))
		}
		body = body[:len(body)-event.ChecksumLen]
	}
	if len(body) != mariaStartEncBodyLen {
		return nil, s.fail(s.lastErr(event.MariaStartEncryptionEvent, fmt.Errorf("%w: START_ENCRYPTION body of %d bytes, want %d", ErrCorrupt, len(body), mariaStartEncBodyLen)))
	}
	if body[0] != 1 {
		return nil, s.fail(s.lastErr(event.MariaStartEncryptionEvent, fmt.Errorf("%w: encryption scheme %d (only 1 is known)", ErrUnsupported, body[0])))
	}
	m.on = true
	m.key = KeyID{ID: 1, Version: binary.LittleEndian.Uint32(body[1:5])}
	copy(m.nonce[:], body[5:])
	m.block, m.cbc = nil, nil
	if s.keys == nil {
		m.pending = &KeyError{Key: m.key, Err: ErrNoKey}
		return b, nil
	}
	key, err := s.keys.Key(m.key)
	if err != nil {
		m.pending = &KeyError{Key: m.key, Err: err}
		return b, nil
	}
	if m.block, err = aes.NewCipher(key.Bytes); err != nil {
		m.pending = &KeyError{Key: m.key, Cipher: key.Cipher, Err: fmt.Errorf("%w: a key of %d bytes (want 16, 24 or 32)", ErrWrongKey, len(key.Bytes))}
		return b, nil
	}
	m.cipher = key.Cipher
	m.checked = false
	if c, ok := cipher.NewCBCDecrypter(m.block, m.iv[:]).(ivSetter); ok && !noCBCSetIV {
		m.cbc = c
	}
	// The standard library's AES-CTR can start anywhere in its key stream:
	// from a base IV of nonce‖0, an event's IV nonce‖le32(offset) is
	// bswap32(offset) blocks on.
	var base [aes.BlockSize]byte
	copy(base[:], m.nonce[:])
	m.ctrAt = nil
	if c, ok := cipher.NewCTR(m.block, base[:]).(ctrAt); ok && !noCBCSetIV {
		m.ctrAt = c
	}
	// Return the event as the server streams it.
	m.buf = append(m.buf[:0], b...)
	out := m.buf
	binary.LittleEndian.PutUint16(out[17:19], binary.LittleEndian.Uint16(out[17:19])|event.FlagIgnorable)
	if m.crc {
		n := len(out) - event.ChecksumLen
		binary.LittleEndian.PutUint32(out[n:], event.Checksum(out[:n]))
	}
	s.copied = true
	return out[:len(out):len(out)], nil
}

// decryptMaria decrypts one stored event into m.buf.
func (s *StreamSource) decryptMaria(b []byte) ([]byte, error) {
	m := &s.mc
	n := len(b)
	if cap(m.buf) < n {
		m.buf = make([]byte, n, max(n, 2*cap(m.buf)))
	}
	out := m.buf[:n:n]
	s.copied = true
	if m.cipher != CipherDetect {
		m.decrypt(out, b, uint32(s.last), m.cipher)
		if !m.checked {
			// The first encrypted event tells a wrong key.
			m.checked = true
			if !m.plausible(out, s.last) {
				return nil, s.fail(s.lastErr(0, &KeyError{Key: m.key, Cipher: m.cipher, Err: ErrWrongKey}))
			}
		}
		return out, nil
	}
	// Detect: CBC (the plugin's default), then CTR.
	for _, c := range [...]Cipher{CipherAESCBC, CipherAESCTR} {
		m.decrypt(out, b, uint32(s.last), c)
		if m.plausible(out, s.last) {
			m.cipher, m.checked = c, true
			return out, nil
		}
	}
	return nil, s.fail(s.lastErr(0, &KeyError{Key: m.key, Cipher: CipherDetect, Err: ErrWrongKey}))
}

// decrypt decrypts the stored event src, read at offset off, into dst (of
// the same length, not overlapping it) with cipher c. The ciphertext is
// src[4:] with src[0:4] standing for its bytes 5–8 (the event's 9–12): the
// first block is assembled in m.head, every later byte is decrypted from
// src straight into dst.
func (m *mariaCrypt) decrypt(dst, src []byte, off uint32, c Cipher) {
	n := len(src)
	ct := n - 4 // ciphertext length
	// The first block of ciphertext: event bytes 4–8, then 0–3 (in place
	// of 9–12), then 13–19.
	head := m.head[:min(ct, aes.BlockSize)]
	copy(head, src[4:9])
	copy(head[5:], src[0:4])
	if len(head) > 9 {
		copy(head[9:], src[13:4+len(head)])
	}
	copy(m.iv[:mariaNonceLen], m.nonce[:])
	binary.LittleEndian.PutUint32(m.iv[mariaNonceLen:], off)
	out := dst[4:]
	switch c {
	case CipherAESCTR:
		if m.ctrAt != nil {
			at := uint64(bits.ReverseBytes32(off)) * aes.BlockSize
			m.ctrAt.XORKeyStreamAt(out[:len(head)], head, at)
			if ct > aes.BlockSize {
				m.ctrAt.XORKeyStreamAt(out[aes.BlockSize:], src[4+aes.BlockSize:], at+aes.BlockSize)
			}
			break
		}
		m.ctr(out[:len(head)], head)
		if ct > aes.BlockSize {
			m.ctr(out[aes.BlockSize:], src[4+aes.BlockSize:])
		}
	default:
		whole := ct &^ (aes.BlockSize - 1)
		if whole > 0 {
			m.cbcDecrypt(out[:aes.BlockSize], head, m.iv[:])
			if whole > aes.BlockSize {
				m.cbcDecrypt(out[aes.BlockSize:whole], src[4+aes.BlockSize:4+whole], head)
			}
		}
		if tail := ct - whole; tail > 0 {
			// MariaDB's "nopad" rule: the partial last block is XORed with
			// the encryption of the IV.
			var in []byte
			if whole == 0 {
				in = head
			} else {
				in = src[4+whole:]
			}
			copy(m.iv[:mariaNonceLen], m.nonce[:])
			binary.LittleEndian.PutUint32(m.iv[mariaNonceLen:], off)
			m.block.Encrypt(m.ks[:], m.iv[:])
			subtle.XORBytes(out[whole:], in, m.ks[:tail])
		}
	}
	// The timestamp went to bytes 9–12 before encryption: put it back, and
	// the length there.
	copy(dst[0:4], dst[9:13])
	copy(dst[9:13], src[9:13])
}

// ctr XORs src into dst with the AES-CTR key stream from m.iv (a 128-bit
// big-endian counter, as OpenSSL counts), advancing m.iv.
func (m *mariaCrypt) ctr(dst, src []byte) {
	for len(src) > 0 {
		m.block.Encrypt(m.ks[:], m.iv[:])
		k := subtle.XORBytes(dst, src, m.ks[:])
		dst, src = dst[k:], src[k:]
		for i := aes.BlockSize - 1; i >= 0; i-- {
			m.iv[i]++
			if m.iv[i] != 0 {
				break
			}
		}
	}
}

// cbcDecrypt decrypts whole blocks of src into dst in AES-CBC from iv: with
// the standard library's decrypter given the IV, or block by block where it
// cannot take one.
func (m *mariaCrypt) cbcDecrypt(dst, src, iv []byte) {
	if m.cbc != nil {
		m.cbc.SetIV(iv)
		m.cbc.CryptBlocks(dst, src)
		return
	}
	var prev [aes.BlockSize]byte
	copy(prev[:], iv)
	for ; len(src) > 0; src, dst = src[aes.BlockSize:], dst[aes.BlockSize:] {
		m.block.Decrypt(dst[:aes.BlockSize], src[:aes.BlockSize])
		subtle.XORBytes(dst[:aes.BlockSize], dst[:aes.BlockSize], prev[:])
		copy(prev[:], src[:aes.BlockSize])
	}
}

// plausible reports whether a decrypted event is right: its checksum when
// the file has them, else a known type, a timestamp within a year of the
// FORMAT_DESCRIPTION's and either its server id or a log position just past
// the event.
func (m *mariaCrypt) plausible(ev []byte, off uint64) bool {
	if m.crc {
		n := len(ev) - event.ChecksumLen
		return n >= event.HeaderLen && binary.LittleEndian.Uint32(ev[n:]) == event.Checksum(ev[:n])
	}
	h, err := event.ParseHeader(ev)
	if err != nil || !h.Type.Known() {
		return false
	}
	const year = 366 * 24 * 3600
	if d := int64(h.Timestamp) - int64(m.fdeTime); d > year || d < -year {
		return false
	}
	return h.ServerID == m.fdeServerID || uint64(h.LogPos) == off+uint64(len(ev))
}

// lastErr returns a positioned error at the event last read.
func (s *StreamSource) lastErr(typ event.Type, err error) error {
	return &Error{File: s.name, Offset: s.last, Type: typ, HasType: typ != 0, PayloadOffset: -1, Err: err}
}

// mysqlCrypt is the decryption state of a MySQL encrypted file.
type mysqlCrypt struct {
	keyID    string
	password [32]byte // encrypted with the keyring key
	iv       [aes.BlockSize]byte
	ready    bool   // the stream is being decrypted
	at       uint64 // OpenFileAt's offset, entered once the key is known
	raw      io.Reader
	block    cipher.Block
	fileIV   [aes.BlockSize]byte
}

// parseMySQLEncHeader parses the 512-byte header of a MySQL encrypted
// binlog.
func parseMySQLEncHeader(h []byte) (*mysqlCrypt, error) {
	if h[4] != 1 {
		return nil, fmt.Errorf("%w: MySQL binlog encryption header version %d (only 1 is known)", ErrUnsupported, h[4])
	}
	c := &mysqlCrypt{}
	var havePass, haveIV bool
	for p := 5; p < len(h); {
		t := h[p]
		p++
		switch t {
		case 0:
			p = len(h)
		case 1: // key id: length, bytes
			if p >= len(h) || p+1+int(h[p]) > len(h) {
				return nil, fmt.Errorf("%w: MySQL binlog encryption header: key id runs past the header", ErrCorrupt)
			}
			c.keyID = string(h[p+1 : p+1+int(h[p])])
			p += 1 + int(h[p])
		case 2: // encrypted file password
			if p+32 > len(h) {
				return nil, fmt.Errorf("%w: MySQL binlog encryption header: password runs past the header", ErrCorrupt)
			}
			copy(c.password[:], h[p:])
			p += 32
			havePass = true
		case 3: // IV of the password
			if p+aes.BlockSize > len(h) {
				return nil, fmt.Errorf("%w: MySQL binlog encryption header: IV runs past the header", ErrCorrupt)
			}
			copy(c.iv[:], h[p:])
			p += aes.BlockSize
			haveIV = true
		default:
			return nil, fmt.Errorf("%w: MySQL binlog encryption header: unknown field type %d", ErrCorrupt, t)
		}
	}
	if c.keyID == "" || !havePass || !haveIV {
		return nil, fmt.Errorf("%w: MySQL binlog encryption header without its key id, password or IV", ErrCorrupt)
	}
	return c, nil
}

// startMySQL decrypts the file password with the keyring key, sets up the
// AES-CTR stream, checks the binlog magic and enters OpenFileAt's offset.
func (s *StreamSource) startMySQL() error {
	c := s.my
	id := KeyID{MySQL: c.keyID}
	posErr := func(off uint64, err error) error {
		return &Error{File: s.name, Offset: off, PayloadOffset: -1, Err: err}
	}
	if s.keys == nil {
		return posErr(0, &KeyError{Key: id, Err: ErrNoKey})
	}
	key, err := s.keys.Key(id)
	if err != nil {
		return posErr(0, &KeyError{Key: id, Err: err})
	}
	if len(key.Bytes) != 32 {
		return posErr(0, &KeyError{Key: id, Err: fmt.Errorf("%w: a key of %d bytes (want 32)", ErrWrongKey, len(key.Bytes))})
	}
	kb, _ := aes.NewCipher(key.Bytes)
	var password [32]byte
	cipher.NewCBCDecrypter(kb, c.iv[:]).CryptBlocks(password[:], c.password[:])
	// EVP_BytesToKey(AES-256-CTR, SHA-512, no salt, one round): one
	// SHA-512 of the password gives the key and the IV.
	d := sha512.Sum512(password[:])
	c.block, _ = aes.NewCipher(d[:32])
	copy(c.fileIV[:], d[32:48])
	c.raw = s.br
	s.br = bufio.NewReaderSize(c.stream(0), readBufferSize)
	c.ready = true
	var magic [event.MagicLen]byte
	if _, err := io.ReadFull(s.br, magic[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return posErr(0, fmt.Errorf("%w: the encrypted file ends inside its magic", ErrTruncated))
		}
		return posErr(0, err)
	}
	if magic != event.Magic {
		return posErr(0, &KeyError{Key: id, Err: ErrWrongKey})
	}
	s.pos = event.MagicLen
	if c.at > event.MagicLen {
		return s.enter(c.at)
	}
	return nil
}

// stream returns the decryption of c.raw (positioned at plaintext offset
// off) from plaintext offset off on.
func (c *mysqlCrypt) stream(off uint64) io.Reader {
	iv := c.fileIV
	// MySQL puts the block number, big-endian, in the IV's last 8 bytes.
	binary.BigEndian.PutUint64(iv[8:], off/aes.BlockSize)
	ctr := cipher.NewCTR(c.block, iv[:])
	if skip := off % aes.BlockSize; skip > 0 {
		var junk [aes.BlockSize]byte
		ctr.XORKeyStream(junk[:skip], junk[:skip])
	}
	return cipher.StreamReader{S: ctr, R: c.raw}
}

// seekMySQL moves an uncompressed MySQL encrypted file to plaintext offset
// off.
func (s *StreamSource) seekMySQL(f *os.File, off uint64) error {
	if _, err := f.Seek(int64(off)+mysqlEncHeaderLen, io.SeekStart); err != nil {
		return err
	}
	s.my.raw = f
	s.br.Reset(s.my.stream(off))
	return nil
}
