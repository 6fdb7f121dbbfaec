package mysqlproto

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseDSN(t *testing.T) {
	for _, tc := range []struct {
		dsn  string
		want Config
	}{
		{"/", Config{Net: "tcp", Addr: "127.0.0.1:3306"}},
		{"root@tcp(127.0.0.1:3307)/", Config{Net: "tcp", Addr: "127.0.0.1:3307", User: "root"}},
		{"u:p@tcp(db.example)/app", Config{Net: "tcp", Addr: "db.example:3306", User: "u", Password: "p", DB: "app"}},
		{"u:p@tcp([::1]:4000)/", Config{Net: "tcp", Addr: "[::1]:4000", User: "u", Password: "p"}},
		{"u:p@tcp(::1)/", Config{Net: "tcp", Addr: "[::1]:3306", User: "u", Password: "p"}},
		// The password runs from the first ':' to the last '@'.
		{"u:p:@/?x@y:z@tcp(h:1)/d", Config{Net: "tcp", Addr: "h:1", User: "u", Password: "p:@/?x@y:z", DB: "d"}},
		{"u@unix(/run/mysqld/mysqld.sock)/db", Config{Net: "unix", Addr: "/run/mysqld/mysqld.sock", User: "u", DB: "db"}},
		{"u@unix/", Config{Net: "unix", Addr: "/tmp/mysql.sock", User: "u"}},
		{"u@tcp/", Config{Net: "tcp", Addr: "127.0.0.1:3306", User: "u"}},
		{"u:@tcp(h:1)/", Config{Net: "tcp", Addr: "h:1", User: "u"}},
		{"u@tcp(h:1)/d?tls=verify-ca&allowPublicKeyRetrieval=true&timeout=2s&readTimeout=1m&writeTimeout=500ms&maxAllowedPacket=1048576",
			Config{Net: "tcp", Addr: "h:1", User: "u", DB: "d", TLSMode: TLSVerifyCA, AllowPublicKeyRetrieval: true,
				Timeout: 2 * time.Second, ReadTimeout: time.Minute, WriteTimeout: 500 * time.Millisecond, MaxPacket: 1 << 20}},
		{"u@tcp(h:1)/?tls=true", Config{Net: "tcp", Addr: "h:1", User: "u", TLSMode: TLSVerifyIdentity}},
		{"u@tcp(h:1)/?tls=skip-verify", Config{Net: "tcp", Addr: "h:1", User: "u", TLSMode: TLSRequired}},
		{"u@tcp(h:1)/?tls=PREFERRED", Config{Net: "tcp", Addr: "h:1", User: "u", TLSMode: TLSPreferred}},
		{"u@tcp(h:1)/?tls=false", Config{Net: "tcp", Addr: "h:1", User: "u", TLSMode: TLSDisabled}},
		// Session variables, URL-unescaped; driver-only options ignored.
		{"u@tcp(h:1)/?sql_mode=%27ANSI%27&parseTime=true&loc=Local&wait_timeout=60&charset=utf8mb4,utf8",
			Config{Net: "tcp", Addr: "h:1", User: "u", Params: map[string]string{"sql_mode": "'ANSI'", "wait_timeout": "60", "NAMES": "utf8mb4"}}},
	} {
		got, err := ParseDSN(tc.dsn)
		if err != nil {
			t.Errorf("ParseDSN(%q): %v", tc.dsn, err)
			continue
		}
		if len(got.Params) == 0 {
			got.Params = nil
		}
		if !reflect.DeepEqual(&tc.want, got) {
			t.Errorf("ParseDSN(%q)\n got %+v\nwant %+v", tc.dsn, *got, tc.want)
		}
	}
}

func TestParseDSNErrors(t *testing.T) {
	for _, tc := range []struct{ dsn, msg string }{
		{"u:secret@tcp(h:1)", "missing the '/'"},
		{"u@tcp(h:1/", "closing ')'"},
		{"u@udp(h:1)/", "unknown network"},
		{"u@tcp(h:1)/?tls=maybe", "unknown tls mode"},
		{"u@tcp(h:1)/?timeout=5", "timeout"},
		{"u@tcp(h:1)/?maxAllowedPacket=-1", "maxAllowedPacket"},
		{"u@tcp(h:1)/?allowPublicKeyRetrieval=yes", "allowPublicKeyRetrieval"},
		{"u@tcp(h:1)/?novalue", "has no '='"},
		{"u@tcp(h:1)/?a;b=1", "not a session variable name"},
		{"u@tcp(h:1)/?tls-ca=/nonexistent/ca.pem", "tls-ca"},
		{"u@tcp(h:1)/?tls-cert=/x.pem", "go together"},
		{"u@tcp(h:1)/?serverPubKey=/nonexistent.pem", "public key"},
	} {
		_, err := ParseDSN(tc.dsn)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("ParseDSN(%q) = %v, want an error mentioning %q", tc.dsn, err, tc.msg)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("ParseDSN(%q): the error shows the password: %v", tc.dsn, err)
		}
	}
}

func TestParseDSNFiles(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t, "test CA")
	caFile := filepath.Join(dir, "ca.pem")
	os.WriteFile(caFile, ca.certPEM, 0o600)
	certPEM, keyPEM := ca.issue(t, "client", nil, nil)
	os.WriteFile(filepath.Join(dir, "c.pem"), certPEM, 0o600)
	os.WriteFile(filepath.Join(dir, "k.pem"), keyPEM, 0o600)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	os.WriteFile(filepath.Join(dir, "pub.pem"), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600)
	os.WriteFile(filepath.Join(dir, "pub1.pem"), pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&key.PublicKey)}), 0o600)

	cfg, err := ParseDSN("u@tcp(h:1)/?tls-ca=" + caFile + "&tls-cert=" + dir + "/c.pem&tls-key=" + dir + "/k.pem&serverPubKey=" + dir + "/pub.pem")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.TLSMode != TLSVerifyIdentity {
		t.Errorf("tls-ca without tls: mode %v, want verify-identity", cfg.TLSMode)
	}
	if cfg.TLSConfig == nil || cfg.TLSConfig.RootCAs == nil || len(cfg.TLSConfig.Certificates) != 1 {
		t.Fatalf("TLS config %+v", cfg.TLSConfig)
	}
	if _, err := ca.cert.Verify(x509.VerifyOptions{Roots: cfg.TLSConfig.RootCAs}); err != nil {
		t.Errorf("the CA file did not land in RootCAs: %v", err)
	}
	if cfg.ServerPubKey == nil || !cfg.ServerPubKey.Equal(&key.PublicKey) {
		t.Errorf("serverPubKey not loaded")
	}
	cfg, err = ParseDSN("u@tcp(h:1)/?tls=preferred&serverPubKey=" + dir + "/pub1.pem&tls-ca=" + caFile)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.TLSMode != TLSPreferred || !cfg.ServerPubKey.Equal(&key.PublicKey) {
		t.Errorf("explicit tls mode overridden (%v) or PKCS#1 key not read", cfg.TLSMode)
	}
	os.WriteFile(filepath.Join(dir, "bad.pem"), []byte("not pem"), 0o600)
	if _, err := ParseDSN("u@tcp(h:1)/?tls-ca=" + dir + "/bad.pem"); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("bad CA file: %v", err)
	}
}

func TestTLSModeString(t *testing.T) {
	for m := TLSDisabled; m <= TLSVerifyIdentity; m++ {
		back, err := ParseTLSMode(m.String())
		if err != nil || back != m {
			t.Errorf("%v: round trip gives %v, %v", m, back, err)
		}
	}
	if s := TLSMode(9).String(); s != "TLSMode(9)" {
		t.Errorf("unknown mode prints %q", s)
	}
}
