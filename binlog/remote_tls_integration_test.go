//go:build integration

package binlog

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/internal/mariadbtest"
)

// writeCerts makes a CA and a server certificate for 127.0.0.1 in dir and
// returns the paths of the CA, server certificate and key.
func writeCerts(t *testing.T, dir string) (ca, cert, key string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "binlogkit test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	srvKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	srvTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	srvDER, err := x509.CreateCertificate(rand.Reader, srvTmpl, caCert, &srvKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(srvKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, cert, key = filepath.Join(dir, "ca.pem"), filepath.Join(dir, "server.pem"), filepath.Join(dir, "server-key.pem")
	for _, f := range []struct {
		path, typ string
		der       []byte
	}{{ca, "CERTIFICATE", caDER}, {cert, "CERTIFICATE", srvDER}, {key, "EC PRIVATE KEY", keyDER}} {
		if err := os.WriteFile(f.path, pem.EncodeToMemory(&pem.Block{Type: f.typ, Bytes: f.der}), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return ca, cert, key
}

// TestIntegrationDialTLSEd25519 streams over TLS (verify-identity against
// a CA made here) as a replication user authenticated by MariaDB's
// client_ed25519 plugin, then restarts the server cleanly and keeps
// streaming: the blocking stream reconnects (TLS and ed25519 again) and
// delivers the transactions written after the restart.
func TestIntegrationDialTLSEd25519(t *testing.T) {
	ca, cert, key := writeCerts(t, t.TempDir())
	srv := mariadbtest.Start(t, mariadbtest.WithArgs("--ssl-ca="+ca, "--ssl-cert="+cert, "--ssl-key="+key))
	srv.Exec(t, `INSTALL SONAME 'auth_ed25519'`)
	srv.Exec(t, `CREATE USER repl@'%' IDENTIFIED VIA ed25519 USING PASSWORD('r3pl!') REQUIRE SSL;
		GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO repl@'%';
		CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY) ENGINE=InnoDB`)
	for i := 1; i <= 10; i++ {
		srv.Exec(t, fmt.Sprintf("INSERT INTO d.t VALUES (%d)", i))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dsn := fmt.Sprintf("repl:r3pl!@tcp(127.0.0.1:%d)/?tls=verify-identity&tls-ca=%s", srv.Port(), ca)

	// Without TLS the REQUIRE SSL account is refused.
	if _, err := Dial(ctx, DialConfig{DSN: fmt.Sprintf("repl:r3pl!@tcp(127.0.0.1:%d)/?tls=false", srv.Port()), NoReconnect: true}); err == nil {
		t.Fatal("Dial without TLS succeeded for a REQUIRE SSL account")
	}

	src, err := Dial(ctx, DialConfig{DSN: dsn, HeartbeatPeriod: time.Second,
		RetryMinBackoff: 100 * time.Millisecond, RetryMaxBackoff: time.Second, MaxRetries: 60})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	r := NewReader(src)
	want := 10
	var got []int
	restarted := false
	for tx, err := range r.Transactions(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		for ev, err := range tx.Events() {
			if err != nil {
				t.Fatal(err)
			}
			_ = ev
		}
		if tx.Complete && tx.XID != 0 {
			got = append(got, len(got)+1)
		}
		if len(got) == want && !restarted {
			restarted = true
			srv.Restart(t) // clean shutdown: the dump ends, the stream must come back
			for i := 11; i <= 15; i++ {
				srv.Exec(t, fmt.Sprintf("INSERT INTO d.t VALUES (%d)", i))
			}
			want = 15
		}
		if len(got) == 15 {
			break
		}
	}
	if len(got) != 15 {
		t.Fatalf("%d committed transactions, want 15", len(got))
	}
	if src.Reconnects() < 1 {
		t.Errorf("no reconnect counted across the restart")
	}
}
