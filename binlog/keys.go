package binlog

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Errors of encrypted binlogs, wrapped in a *KeyError (itself inside a
// positioned *Error).
var (
	// ErrNoKey reports an encrypted binlog whose key was not given. A
	// KeyProvider returns it (or an error wrapping it) for a key it does not
	// hold.
	ErrNoKey = errors.New("binlog: the key of an encrypted binlog was not given")
	// ErrWrongKey reports a key that does not decrypt the binlog: the first
	// decrypted event fails its checksum (MariaDB), or the decrypted stream
	// does not start with the binlog magic (MySQL).
	ErrWrongKey = errors.New("binlog: the key does not decrypt the binlog")
)

// KeyID names the key an encrypted binlog file needs.
type KeyID struct {
	// MySQL is the keyring key id a MySQL file names in its encryption
	// header, "MySQLReplicationKey_<server_uuid>_<n>"; empty for MariaDB.
	MySQL string
	// ID and Version name a MariaDB key of the server's key management
	// plugin (binlogs use key 1; file_key_management has version 1 only).
	ID, Version uint32
}

// String returns "MariaDB key 1 (version 1)" or "MySQL keyring key
// MySQLReplicationKey_…".
func (k KeyID) String() string {
	if k.MySQL != "" {
		return "MySQL keyring key " + k.MySQL
	}
	return "MariaDB key " + strconv.FormatUint(uint64(k.ID), 10) + " (version " + strconv.FormatUint(uint64(k.Version), 10) + ")"
}

// Cipher is the mode in which a MariaDB server encrypted its binlogs (its
// key management plugin's setting, file_key_management_encryption_algorithm):
// MariaDB files do not record it. MySQL binlogs are always AES-256-CTR.
type Cipher uint8

// The MariaDB ciphers.
const (
	// CipherDetect tries AES-CBC, then AES-CTR, on the first encrypted event
	// of each file and keeps the one whose checksum (or, in a file without
	// checksums, whose header) is right.
	CipherDetect Cipher = iota
	// CipherAESCBC is AES-CBC without padding, the plugin's default: whole
	// 16-byte blocks in CBC, the last len%16 bytes XORed with the AES
	// encryption of the IV.
	CipherAESCBC
	// CipherAESCTR is AES-CTR.
	CipherAESCTR
)

// String returns "detect", "AES-CBC" or "AES-CTR".
func (c Cipher) String() string {
	switch c {
	case CipherDetect:
		return "detect"
	case CipherAESCBC:
		return "AES-CBC"
	case CipherAESCTR:
		return "AES-CTR"
	}
	return "Cipher(" + strconv.Itoa(int(c)) + ")"
}

// ParseCipher reads "cbc", "ctr" (also "aes_cbc", "AES-CTR", …) or
// "detect" (also "").
func ParseCipher(s string) (Cipher, error) {
	t := strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(s))
	switch t {
	case "", "detect", "auto":
		return CipherDetect, nil
	case "cbc", "aescbc":
		return CipherAESCBC, nil
	case "ctr", "aesctr":
		return CipherAESCTR, nil
	}
	return CipherDetect, fmt.Errorf("binlog: unknown cipher %q: want cbc, ctr or detect", s)
}

// Key is an encryption key and, for MariaDB, the cipher it is used with.
type Key struct {
	// Bytes is the AES key: 16, 24 or 32 bytes for MariaDB, 32 for MySQL.
	Bytes []byte
	// Cipher is the MariaDB cipher (CipherDetect: find out); MySQL ignores
	// it.
	Cipher Cipher
}

// KeyProvider finds the keys of encrypted binlogs. Key returns ErrNoKey (or
// an error wrapping it) for a key it does not hold; any other error (a
// vault out of reach) is reported as it is. Keys is the ready one; a Vault
// or KMS client can implement it in a few lines.
type KeyProvider interface {
	Key(id KeyID) (Key, error)
}

// KeyError is the error for an encrypted binlog whose key is missing
// (Err wraps ErrNoKey), does not decrypt it (ErrWrongKey) or could not be
// fetched (the provider's error).
type KeyError struct {
	Key KeyID
	// Cipher is the MariaDB cipher that was tried (CipherDetect: both).
	Cipher Cipher
	Err    error
}

// Error says which key and what went wrong.
func (e *KeyError) Error() string {
	var b strings.Builder
	b.WriteString("encrypted with ")
	b.WriteString(e.Key.String())
	switch {
	case errors.Is(e.Err, ErrNoKey):
		b.WriteString(", which was not given")
	case errors.Is(e.Err, ErrWrongKey):
		b.WriteString(": the key given does not decrypt it")
		if e.Key.MySQL == "" {
			if e.Cipher == CipherDetect {
				b.WriteString(" with AES-CBC nor with AES-CTR")
			} else {
				b.WriteString(" with " + e.Cipher.String())
			}
			b.WriteString(" (judged on the first encrypted event)")
		} else {
			b.WriteString(" (the decrypted file does not start with the binlog magic)")
		}
	default:
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause: ErrNoKey, ErrWrongKey or the provider's error.
func (e *KeyError) Unwrap() error { return e.Err }

// Keys is a KeyProvider holding keys in memory: a MariaDB key file
// (ReadMariaDBKeyFile), a MySQL keyring file (ReadMySQLKeyring), or raw
// keys set directly. Its zero value holds no key.
type Keys struct {
	// MariaDB holds MariaDB keys by key id, as file_key_management's key
	// file lists them (binlogs use key 1). The plugin has one version of
	// each key, version 1, and so has Keys.
	MariaDB map[uint32][]byte
	// Cipher is the MariaDB cipher of the keys (CipherDetect: tried by
	// checksum).
	Cipher Cipher
	// MySQL holds MySQL keyring keys (32 bytes) by key id.
	MySQL map[string][]byte
	// MySQLDefault, when set, is the key for a MySQL key id not in MySQL: a
	// raw key taken from a keyring this package cannot read (Vault, KMIP).
	MySQLDefault []byte
}

// Key returns the key named id. See KeyProvider.
func (k *Keys) Key(id KeyID) (Key, error) {
	if id.MySQL != "" {
		if b, ok := k.MySQL[id.MySQL]; ok {
			return Key{Bytes: b}, nil
		}
		if k.MySQLDefault != nil {
			return Key{Bytes: k.MySQLDefault}, nil
		}
		return Key{}, ErrNoKey
	}
	if b, ok := k.MariaDB[id.ID]; ok && id.Version == 1 {
		return Key{Bytes: b, Cipher: k.Cipher}, nil
	}
	return Key{}, ErrNoKey
}

// fileKeyPrefix makes a file_key_management_filekey value name a file
// holding the secret, as the plugin reads it.
const fileKeyPrefix = "FILE:"

// ReadMariaDBKeyFile adds the keys of a MariaDB file_key_management key
// file (file_key_management_filename): lines "id;hex" (16, 24 or 32 bytes of
// key), '#' comments. fileKey is the plugin's file_key_management_filekey:
// empty for a plain file; else the secret the file was encrypted with by
// `openssl enc -aes-256-cbc -md sha1 -k SECRET`, or "FILE:path" to read the
// secret from a file (its content less a trailing line break), as the plugin
// does.
func (k *Keys) ReadMariaDBKeyFile(path, fileKey string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	secret := fileKey
	if p, ok := strings.CutPrefix(fileKey, fileKeyPrefix); ok {
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("binlog: file key: %w", err)
		}
		secret = strings.TrimRight(string(b), "\r\n")
	}
	keys, err := parseMariaDBKeyFile(data, secret)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if k.MariaDB == nil {
		k.MariaDB = make(map[uint32][]byte, len(keys))
	}
	for id, key := range keys {
		k.MariaDB[id] = key
	}
	return nil
}

// openSSLSalted starts a file encrypted by `openssl enc` with a salt.
const openSSLSalted = "Salted__"

// parseMariaDBKeyFile parses a key file, decrypting it first when it starts
// with openSSLSalted.
func parseMariaDBKeyFile(data []byte, secret string) (map[uint32][]byte, error) {
	if len(data) > len(openSSLSalted) && bytes.HasPrefix(data, []byte(openSSLSalted)) {
		if secret == "" {
			return nil, errors.New("the key file is encrypted: give its file key (file_key_management_filekey)")
		}
		var err error
		if data, err = openSSLDecrypt(data, secret); err != nil {
			return nil, err
		}
	} else if secret != "" {
		return nil, errors.New("a file key was given but the key file is not encrypted")
	}
	keys := make(map[uint32][]byte)
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimLeft(line, " \t\r\v\f")
		if line == "" || line[0] == '#' {
			continue
		}
		bad := func(what string) error { return fmt.Errorf("%s on line %d", what, n+1) }
		idText, rest, ok := strings.Cut(line, ";")
		if !ok || idText == "" || strings.Trim(idText, "0123456789") != "" {
			return nil, bad("syntax error (want id;hex)")
		}
		id, err := strconv.ParseUint(idText, 10, 32)
		if err != nil || id == 0 {
			return nil, bad("invalid key id")
		}
		// The hex digits; what follows them (a '\r', a comment) is ignored,
		// as the plugin does.
		end := 0
		for end < len(rest) && isHex(rest[end]) {
			end++
		}
		key, err := hex.DecodeString(rest[:end])
		if err != nil || (len(key) != 16 && len(key) != 24 && len(key) != 32) {
			return nil, bad("invalid key (want 32, 48 or 64 hex digits)")
		}
		keys[uint32(id)] = key
	}
	if len(keys) == 0 {
		return nil, errors.New("no keys in the key file")
	}
	return keys, nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// openSSLDecrypt decrypts what `openssl enc -aes-256-cbc -md sha1 -k
// secret` wrote: "Salted__", an 8-byte salt, then AES-256-CBC with PKCS#7
// padding, key and IV from EVP_BytesToKey(SHA-1, one iteration).
func openSSLDecrypt(data []byte, secret string) ([]byte, error) {
	const saltEnd = len(openSSLSalted) + 8
	wrong := errors.New("cannot decrypt the key file with the file key given (wrong file key?)")
	if len(data) < saltEnd+aes.BlockSize || (len(data)-saltEnd)%aes.BlockSize != 0 {
		return nil, wrong
	}
	salt := data[len(openSSLSalted):saltEnd]
	// EVP_BytesToKey: D_i = SHA1(D_{i-1} || secret || salt) until 48 bytes.
	var kiv []byte
	var d []byte
	for len(kiv) < 48 {
		h := sha1.New()
		h.Write(d)
		h.Write([]byte(secret))
		h.Write(salt)
		d = h.Sum(nil)
		kiv = append(kiv, d...)
	}
	block, err := aes.NewCipher(kiv[:32])
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data)-saltEnd)
	cipher.NewCBCDecrypter(block, kiv[32:48]).CryptBlocks(out, data[saltEnd:])
	pad := int(out[len(out)-1])
	if pad == 0 || pad > aes.BlockSize {
		return nil, wrong
	}
	for _, c := range out[len(out)-pad:] {
		if int(c) != pad {
			return nil, wrong
		}
	}
	return out[:len(out)-pad], nil
}

// ReadMySQLKeyring adds the keys of a MySQL component_keyring_file keyring
// (the JSON file its component_keyring_file.cnf names as "path"):
// {"version":"1.0","elements":[{"user":…,"data_id":…,"data_type":…,
// "data":HEX,"extension":…}]}. Only keys of type AES are kept; binlogs use
// the ones named "MySQLReplicationKey_<server_uuid>_<n>".
func (k *Keys) ReadMySQLKeyring(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	keys, err := parseMySQLKeyring(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if k.MySQL == nil {
		k.MySQL = make(map[string][]byte, len(keys))
	}
	for id, key := range keys {
		k.MySQL[id] = key
	}
	return nil
}

// parseMySQLKeyring parses a component_keyring_file JSON keyring.
func parseMySQLKeyring(data []byte) (map[string][]byte, error) {
	var f struct {
		Version  string `json:"version"`
		Elements []struct {
			User     string `json:"user"`
			DataID   string `json:"data_id"`
			DataType string `json:"data_type"`
			Data     string `json:"data"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("not a component_keyring_file keyring: %v", err)
	}
	if f.Version == "" {
		return nil, errors.New("not a component_keyring_file keyring: no version")
	}
	keys := make(map[string][]byte)
	for _, e := range f.Elements {
		if !strings.EqualFold(e.DataType, "AES") {
			continue
		}
		key, err := hex.DecodeString(e.Data)
		if err != nil {
			return nil, fmt.Errorf("key %s: data is not hex: %v", e.DataID, err)
		}
		keys[e.DataID] = key
	}
	return keys, nil
}
