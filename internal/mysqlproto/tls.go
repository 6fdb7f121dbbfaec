package mysqlproto

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
)

// ErrNoTLS is returned when the TLS mode requires encryption and the server
// does not offer it.
var ErrNoTLS = errors.New("mysqlproto: server does not support TLS")

// wantTLS decides from the mode and the server's capabilities whether to
// upgrade the connection.
func (c *Client) wantTLS(serverCaps uint32) (bool, error) {
	mode := c.cfg.TLSMode
	offered := serverCaps&ClientSSL != 0
	switch mode {
	case TLSDisabled:
		return false, nil
	case TLSPreferred:
		// A unix socket is private already.
		return offered && c.cfg.Net != "unix", nil
	case TLSRequired, TLSVerifyCA, TLSVerifyIdentity:
		if !offered {
			return false, fmt.Errorf("%w (tls=%s)", ErrNoTLS, mode)
		}
		return true, nil
	}
	return false, fmt.Errorf("mysqlproto: unknown TLS mode %d", int(mode))
}

// tlsConfig builds the client TLS configuration for the mode.
func (c *Client) tlsConfig() (*tls.Config, error) {
	var tc *tls.Config
	if c.cfg.TLSConfig != nil {
		tc = c.cfg.TLSConfig.Clone()
	} else {
		tc = &tls.Config{}
	}
	if tc.MinVersion == 0 {
		tc.MinVersion = tls.VersionTLS12
	}
	switch c.cfg.TLSMode {
	case TLSPreferred, TLSRequired:
		tc.InsecureSkipVerify = true
		tc.VerifyConnection = nil
	case TLSVerifyCA:
		roots := tc.RootCAs
		tc.InsecureSkipVerify = true
		tc.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("mysqlproto: server sent no certificate")
			}
			opts := x509.VerifyOptions{Roots: roots, Intermediates: x509.NewCertPool()}
			for _, ic := range cs.PeerCertificates[1:] {
				opts.Intermediates.AddCert(ic)
			}
			if _, err := cs.PeerCertificates[0].Verify(opts); err != nil {
				return fmt.Errorf("mysqlproto: verifying the server certificate (verify-ca): %w", err)
			}
			return nil
		}
	case TLSVerifyIdentity:
		tc.InsecureSkipVerify = false
		if tc.ServerName == "" {
			host := c.cfg.Addr
			if c.cfg.Net != "unix" {
				if h, _, err := net.SplitHostPort(c.cfg.Addr); err == nil {
					host = h
				}
			} else {
				host = "localhost"
			}
			tc.ServerName = host
		}
	}
	return tc, nil
}

// startTLS runs the TLS handshake on the connection and swaps it in.
func (c *Client) startTLS() error {
	tc, err := c.tlsConfig()
	if err != nil {
		return err
	}
	tconn := tls.Client(c.Conn(), tc)
	if err := tconn.Handshake(); err != nil {
		return fmt.Errorf("mysqlproto: TLS handshake: %w", err)
	}
	seq := c.Seq
	c.SetConn(tconn)
	c.Seq = seq
	return nil
}
