package mysqlproto

import (
	"crypto/sha512"
	"fmt"

	"filippo.io/edwards25519"
)

// SignEd25519 answers MariaDB's client_ed25519 challenge: an Ed25519
// signature of message (the server's 32-byte scramble) under a key derived
// from the password as MariaDB's ref10 crypto_sign does it: the SHA-512 of
// the password, of any length, is used directly as the expanded secret key
// (its first half, clamped, is the scalar; its second half seeds the
// nonce). Go's crypto/ed25519 takes a 32-byte seed instead, hence the
// arithmetic by hand.
func SignEd25519(message []byte, password string) ([]byte, error) {
	az := sha512.Sum512([]byte(password))
	s, err := edwards25519.NewScalar().SetBytesWithClamping(az[:32])
	if err != nil {
		return nil, fmt.Errorf("mysqlproto: ed25519 secret: %w", err)
	}
	A := new(edwards25519.Point).ScalarBaseMult(s).Bytes()

	h := sha512.New()
	h.Write(az[32:])
	h.Write(message)
	r, err := edwards25519.NewScalar().SetUniformBytes(h.Sum(nil))
	if err != nil {
		return nil, fmt.Errorf("mysqlproto: ed25519 nonce: %w", err)
	}
	R := new(edwards25519.Point).ScalarBaseMult(r).Bytes()

	h.Reset()
	h.Write(R)
	h.Write(A)
	h.Write(message)
	k, err := edwards25519.NewScalar().SetUniformBytes(h.Sum(nil))
	if err != nil {
		return nil, fmt.Errorf("mysqlproto: ed25519 challenge: %w", err)
	}
	S := edwards25519.NewScalar().MultiplyAdd(k, s, r)
	return append(R, S.Bytes()...), nil
}

// Ed25519PublicKey returns the public key MariaDB derives from a password
// for client_ed25519 (what ed25519_password() and the user's
// authentication string hold, there in unpadded base64).
func Ed25519PublicKey(password string) []byte {
	az := sha512.Sum512([]byte(password))
	s, err := edwards25519.NewScalar().SetBytesWithClamping(az[:32])
	if err != nil {
		return nil // cannot happen: the input is 32 bytes
	}
	return new(edwards25519.Point).ScalarBaseMult(s).Bytes()
}
