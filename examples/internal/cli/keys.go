package cli

import (
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"strings"

	"filippo.io/age"
	"github.com/binlogkit/binlogkit/backup"
	"github.com/binlogkit/binlogkit/binlog"
)

// Keys is the flags that give the keys of encrypted binlogs, the same in
// every tool that reads files: --key-file, --key-file-key and
// --encryption-algorithm for MariaDB (encrypt_binlog with
// file_key_management), --keyring and --keyring-key for MySQL
// (binlog_encryption), and --identity for an archive's age-encrypted files.
// Register declares them, Load reads the files they name, Apply gives the
// keys to a Source.
type Keys struct {
	Identity
	keyFile, keyFileKey, keyring string
	cipher                       binlog.Cipher
	keyringKey                   []byte
	keys                         *binlog.Keys
}

// Register declares the flags on fs.
func (k *Keys) Register(fs *flag.FlagSet) {
	k.Identity.Register(fs)
	fs.StringVar(&k.keyFile, "key-file", "", "decrypt MariaDB binlogs (encrypt_binlog) with the keys in this `file`, the server's file_key_management_filename (lines id;hex)")
	fs.StringVar(&k.keyFileKey, "key-file-key", "", "the `secret` --key-file is encrypted with (file_key_management_filekey; FILE:path reads it from a file)")
	fs.Func("encryption-algorithm", "the MariaDB cipher, `cbc|ctr`, as file_key_management_encryption_algorithm says (default: detected from the first encrypted event)", func(s string) error {
		c, err := binlog.ParseCipher(s)
		if err != nil {
			return errors.New("want cbc or ctr")
		}
		k.cipher = c
		return nil
	})
	fs.StringVar(&k.keyring, "keyring", "", "decrypt MySQL binlogs (binlog_encryption) with the keys of this component_keyring_file `file` (its JSON keyring)")
	fs.Func("keyring-key", "decrypt MySQL binlogs with this raw 32-byte replication master `key` in hex (for a keyring kept in Vault, KMIP, …)", func(s string) error {
		b, err := hex.DecodeString(strings.TrimSpace(s))
		if err != nil || len(b) != 32 {
			return errors.New("want 64 hex digits (a 32-byte key)")
		}
		k.keyringKey = b
		return nil
	})
}

// Load reads the files the flags name. It returns a *UsageError for flags
// that do not go together and a plain error for a file that cannot be read
// or is not a key file.
func (k *Keys) Load() error {
	if k.keyFileKey != "" && k.keyFile == "" {
		return Usagef("--key-file-key goes with --key-file")
	}
	if k.cipher != binlog.CipherDetect && k.keyFile == "" {
		return Usagef("--encryption-algorithm goes with --key-file")
	}
	if err := k.Identity.Load(); err != nil {
		return fmt.Errorf("--identity: %w", err)
	}
	if k.keyFile == "" && k.keyring == "" && k.keyringKey == nil {
		return nil
	}
	keys := &binlog.Keys{Cipher: k.cipher, MySQLDefault: k.keyringKey}
	if k.keyFile != "" {
		if err := keys.ReadMariaDBKeyFile(k.keyFile, k.keyFileKey); err != nil {
			return fmt.Errorf("--key-file: %w", err)
		}
	}
	if k.keyring != "" {
		if err := keys.ReadMySQLKeyring(k.keyring); err != nil {
			return fmt.Errorf("--keyring: %w", err)
		}
	}
	k.keys = keys
	return nil
}

// Provider returns the keys Load read, nil when no flag gave any.
func (k *Keys) Provider() binlog.KeyProvider {
	if k.keys == nil {
		return nil
	}
	return k.keys
}

// Apply gives the keys to src when it decrypts (a file Source; see
// binlog.StreamSource.SetKeys). Without keys, encrypted files still stop
// with an error naming the key they need.
func (k *Keys) Apply(src binlog.Source) {
	if s, ok := src.(interface{ SetIdentities(...age.Identity) }); ok && k.ids != nil {
		s.SetIdentities(k.ids...)
	}
	if s, ok := src.(interface{ SetKeys(binlog.KeyProvider) }); ok && k.keys != nil {
		s.SetKeys(k.keys)
	}
}

// KeyHint returns err with the flag that gives the key it reports missing
// or wrong (a *binlog.KeyError), or err itself.
func KeyHint(err error) error {
	if errors.Is(err, backup.ErrNoIdentity) {
		return &hinted{err: err, hint: "give the archive's age identity with --identity FILE"}
	}
	var ke *binlog.KeyError
	if !errors.As(err, &ke) {
		return err
	}
	var hint string
	switch {
	case ke.Key.MySQL != "" && errors.Is(err, binlog.ErrNoKey):
		hint = "give the keyring with --keyring FILE (component_keyring_file's JSON) or the key with --keyring-key HEX"
	case ke.Key.MySQL != "":
		hint = "check --keyring or --keyring-key"
	case errors.Is(err, binlog.ErrNoKey):
		hint = "give the server's key file with --key-file FILE, and --key-file-key SECRET if it is encrypted"
	default:
		hint = "check --key-file, --key-file-key and --encryption-algorithm"
	}
	return &hinted{err: err, hint: hint}
}

// hinted is an error with advice on what to do.
type hinted struct {
	err  error
	hint string
}

func (h *hinted) Error() string { return h.err.Error() + " (" + h.hint + ")" }
func (h *hinted) Unwrap() error { return h.err }
