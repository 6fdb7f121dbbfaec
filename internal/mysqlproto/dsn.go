package mysqlproto

import (
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// TLSMode says whether and how a connection is encrypted.
type TLSMode int

// TLS modes, from the weakest to the strictest.
const (
	// TLSDisabled never encrypts.
	TLSDisabled TLSMode = iota
	// TLSPreferred encrypts when the server offers TLS, without verifying
	// its certificate, and goes on in clear text otherwise.
	TLSPreferred
	// TLSRequired fails when the server does not offer TLS; the
	// certificate is not verified.
	TLSRequired
	// TLSVerifyCA is TLSRequired plus a check of the certificate chain
	// against the root CAs; the host name is not checked.
	TLSVerifyCA
	// TLSVerifyIdentity is TLSVerifyCA plus a check that the certificate
	// names the host (or IP address) connected to.
	TLSVerifyIdentity
)

var tlsModeNames = [...]string{"disabled", "preferred", "required", "verify-ca", "verify-identity"}

// String returns the mode's name as the DSN parameter tls spells it.
func (m TLSMode) String() string {
	if m >= 0 && int(m) < len(tlsModeNames) {
		return tlsModeNames[m]
	}
	return "TLSMode(" + strconv.Itoa(int(m)) + ")"
}

// ParseTLSMode reads a tls parameter value: false/disabled, preferred,
// true/verify-identity, skip-verify/required, verify-ca (case-insensitive,
// '_' accepted for '-').
func ParseTLSMode(s string) (TLSMode, error) {
	switch strings.ReplaceAll(strings.ToLower(s), "_", "-") {
	case "false", "disabled", "0":
		return TLSDisabled, nil
	case "preferred":
		return TLSPreferred, nil
	case "skip-verify", "required":
		return TLSRequired, nil
	case "verify-ca":
		return TLSVerifyCA, nil
	case "true", "verify-identity", "1":
		return TLSVerifyIdentity, nil
	}
	return 0, fmt.Errorf("mysqlproto: unknown tls mode %q (want false, preferred, required, skip-verify, verify-ca, verify-identity or true)", s)
}

// Config says how to connect. ParseDSN fills one from a DSN; a Config built
// by hand works as well (zero durations mean no timeout).
type Config struct {
	Net      string // "tcp" or "unix"
	Addr     string // host:port or socket path
	User     string
	Password string
	DB       string // default database, "" for none

	TLSMode TLSMode
	// TLSConfig is an optional base configuration (RootCAs, Certificates,
	// ServerName); Connect clones it and sets what the mode requires.
	TLSConfig *tls.Config

	// AllowPublicKeyRetrieval lets caching_sha2_password and
	// sha256_password ask the server for its RSA public key when the
	// password must travel over an unencrypted TCP connection.
	AllowPublicKeyRetrieval bool
	// ServerPubKey is the server's RSA public key for that case.
	ServerPubKey *rsa.PublicKey

	// Timeout bounds the dial and the handshake; ReadTimeout and
	// WriteTimeout bound each packet read or written by Query and Exec.
	Timeout, ReadTimeout, WriteTimeout time.Duration
	// MaxPacket bounds a reassembled payload (0: DefaultMaxPacket).
	MaxPacket int
	// Params are session variables set after connecting, name to value
	// as written in SQL (SET name=value).
	Params map[string]string
}

// Ignored go-sql-driver parameters: they steer that driver's client-side
// behaviour and are no session variables, so a DSN written for it still
// works here.
var driverOnlyParams = map[string]bool{
	"allowAllFiles": true, "allowCleartextPasswords": true, "allowFallbackToPlaintext": true,
	"allowNativePasswords": true, "allowOldPasswords": true, "checkConnLiveness": true,
	"clientFoundRows": true, "collation": true, "columnsWithAlias": true, "compress": true,
	"connectionAttributes": true, "interpolateParams": true, "loc": true, "multiStatements": true,
	"parseTime": true, "rejectReadOnly": true, "timeTruncate": true,
}

// ParseDSN parses a data source name in go-sql-driver/mysql syntax:
//
//	[user[:password]@][net[(addr)]]/[dbname][?param=value&...]
//
// net is tcp (the default, address 127.0.0.1:3306, port 3306 when omitted)
// or unix (default /tmp/mysql.sock). The password is everything between
// the first ':' and the last '@' before the parameters; a '@' inside a
// parameter value must be written %40. Parameters:
//
//	tls=false|preferred|true|skip-verify|required|verify-ca|verify-identity
//	tls-ca, tls-cert, tls-key   PEM files: CA to verify with, client certificate and key
//	                            (tls-ca without tls means verify-identity)
//	allowPublicKeyRetrieval=true
//	serverPubKey=PATH           PEM RSA public key of the server
//	timeout, readTimeout, writeTimeout   durations (time.ParseDuration)
//	maxAllowedPacket            bytes
//	charset                     SET NAMES with its first comma-separated value
//
// go-sql-driver options without meaning here (parseTime, loc, …) are
// ignored; any other parameter is a session variable, set after connecting.
func ParseDSN(dsn string) (*Config, error) {
	cfg := &Config{Net: "tcp", Params: map[string]string{}}
	rest := dsn
	at := strings.LastIndexByte(rest, '@')
	query := ""
	if q := strings.IndexByte(rest[at+1:], '?'); q >= 0 {
		query = rest[at+1+q+1:]
		rest = rest[:at+1+q]
	}
	slash := strings.LastIndexByte(rest, '/')
	if slash < 0 || slash < at {
		return nil, fmt.Errorf("mysqlproto: invalid DSN %q: missing the '/' before the database name", redactDSN(dsn))
	}
	cfg.DB = rest[slash+1:]
	rest = rest[:slash]
	if at >= 0 {
		userinfo := rest[:at]
		rest = rest[at+1:]
		if i := strings.IndexByte(userinfo, ':'); i >= 0 {
			cfg.User, cfg.Password = userinfo[:i], userinfo[i+1:]
		} else {
			cfg.User = userinfo
		}
	}
	if rest != "" {
		netw, addr := rest, ""
		if i := strings.IndexByte(rest, '('); i >= 0 {
			if !strings.HasSuffix(rest, ")") {
				return nil, fmt.Errorf("mysqlproto: invalid DSN %q: address %q lacks its closing ')'", redactDSN(dsn), rest)
			}
			netw, addr = rest[:i], rest[i+1:len(rest)-1]
		}
		cfg.Net, cfg.Addr = netw, addr
	}
	switch cfg.Net {
	case "tcp", "tcp4", "tcp6":
		if cfg.Addr == "" {
			cfg.Addr = "127.0.0.1:3306"
		} else if _, _, err := net.SplitHostPort(cfg.Addr); err != nil {
			cfg.Addr = net.JoinHostPort(strings.Trim(cfg.Addr, "[]"), "3306")
		}
	case "unix":
		if cfg.Addr == "" {
			cfg.Addr = "/tmp/mysql.sock"
		}
	default:
		return nil, fmt.Errorf("mysqlproto: invalid DSN %q: unknown network %q (want tcp or unix)", redactDSN(dsn), cfg.Net)
	}
	if query == "" {
		return cfg, nil
	}
	var caFile, certFile, keyFile string
	tlsSet := false
	for _, kv := range strings.Split(query, "&") {
		if kv == "" {
			continue
		}
		name, raw, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("mysqlproto: DSN parameter %q has no '='", kv)
		}
		value, err := url.QueryUnescape(raw)
		if err != nil {
			return nil, fmt.Errorf("mysqlproto: DSN parameter %s: %w", name, err)
		}
		switch name {
		case "tls":
			if cfg.TLSMode, err = ParseTLSMode(value); err != nil {
				return nil, err
			}
			tlsSet = true
		case "tls-ca":
			caFile = value
		case "tls-cert":
			certFile = value
		case "tls-key":
			keyFile = value
		case "allowPublicKeyRetrieval":
			if cfg.AllowPublicKeyRetrieval, err = strconv.ParseBool(value); err != nil {
				return nil, fmt.Errorf("mysqlproto: DSN parameter allowPublicKeyRetrieval: %w", err)
			}
		case "serverPubKey":
			if cfg.ServerPubKey, err = LoadRSAPublicKey(value); err != nil {
				return nil, err
			}
		case "timeout", "readTimeout", "writeTimeout":
			d, err := time.ParseDuration(value)
			if err != nil {
				return nil, fmt.Errorf("mysqlproto: DSN parameter %s: %w", name, err)
			}
			switch name {
			case "timeout":
				cfg.Timeout = d
			case "readTimeout":
				cfg.ReadTimeout = d
			default:
				cfg.WriteTimeout = d
			}
		case "maxAllowedPacket":
			n, err := strconv.Atoi(value)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("mysqlproto: DSN parameter maxAllowedPacket: %q is not a byte count", value)
			}
			cfg.MaxPacket = n
		case "charset":
			cs, _, _ := strings.Cut(value, ",")
			cfg.Params["NAMES"] = cs
		default:
			if driverOnlyParams[name] {
				continue
			}
			if !validParamName(name) {
				return nil, fmt.Errorf("mysqlproto: DSN parameter %q is not a session variable name", name)
			}
			cfg.Params[name] = value
		}
	}
	if caFile != "" || certFile != "" || keyFile != "" {
		tc := &tls.Config{}
		if caFile != "" {
			pemBytes, err := os.ReadFile(caFile)
			if err != nil {
				return nil, fmt.Errorf("mysqlproto: DSN parameter tls-ca: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pemBytes) {
				return nil, fmt.Errorf("mysqlproto: DSN parameter tls-ca: no PEM certificate in %s", caFile)
			}
			tc.RootCAs = pool
			if !tlsSet {
				cfg.TLSMode = TLSVerifyIdentity
			}
		}
		if (certFile == "") != (keyFile == "") {
			return nil, errors.New("mysqlproto: DSN parameters tls-cert and tls-key go together")
		}
		if certFile != "" {
			cert, err := tls.LoadX509KeyPair(certFile, keyFile)
			if err != nil {
				return nil, fmt.Errorf("mysqlproto: DSN parameters tls-cert/tls-key: %w", err)
			}
			tc.Certificates = []tls.Certificate{cert}
		}
		cfg.TLSConfig = tc
	}
	return cfg, nil
}

// validParamName accepts what can stand for a variable name in SET name=value.
func validParamName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c == '.' || c == '@' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// redactDSN hides the password of a DSN for error messages.
func redactDSN(dsn string) string {
	at := strings.LastIndexByte(dsn, '@')
	if at < 0 {
		return dsn
	}
	if i := strings.IndexByte(dsn[:at], ':'); i >= 0 {
		return dsn[:i+1] + "***" + dsn[at:]
	}
	return dsn
}

// LoadRSAPublicKey reads a PEM file holding an RSA public key ("PUBLIC KEY"
// or "RSA PUBLIC KEY"), as caching_sha2_password_public_key_path names.
func LoadRSAPublicKey(path string) (*rsa.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mysqlproto: server public key: %w", err)
	}
	k, err := ParseRSAPublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("mysqlproto: server public key %s: %w", path, err)
	}
	return k, nil
}

// ParseRSAPublicKey decodes a PEM RSA public key.
func ParseRSAPublicKey(pemBytes []byte) (*rsa.PublicKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("mysqlproto: no PEM block in the public key")
	}
	switch block.Type {
	case "RSA PUBLIC KEY":
		return x509.ParsePKCS1PublicKey(block.Bytes)
	default:
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("mysqlproto: public key: %w", err)
		}
		rk, ok := k.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("mysqlproto: public key is a %T, not RSA", k)
		}
		return rk, nil
	}
}
