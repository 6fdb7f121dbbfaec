package mysqlproto

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"testing"
)

var testScramble = []byte("\x3d\x52\x08\x6a\x1b\x7c\x51\x2f\x6e\x4b\x5a\x33\x21\x0f\x45\x6c\x77\x19\x2e\x58")

func TestScrambleNativePassword(t *testing.T) {
	pw := "secret"
	got := ScrambleNativePassword(testScramble, pw)
	// The server's check, written from the documented formula: with
	// stored = SHA1(SHA1(pw)), SHA1(got XOR SHA1(scramble+stored)) must
	// equal stored.
	h1 := sha1.Sum([]byte(pw))
	stored := sha1.Sum(h1[:])
	mask := sha1.Sum(append(append([]byte{}, testScramble...), stored[:]...))
	if len(got) != 20 {
		t.Fatalf("answer of %d bytes", len(got))
	}
	var candidate [20]byte
	for i := range candidate {
		candidate[i] = got[i] ^ mask[i]
	}
	if sha1.Sum(candidate[:]) != stored {
		t.Fatal("the server would reject the native password answer")
	}
	if ScrambleNativePassword(testScramble, "") != nil {
		t.Error("empty password answers something")
	}
	if bytes.Equal(got, ScrambleNativePassword(testScramble, "secreT")) {
		t.Error("different passwords give the same answer")
	}
}

func TestScrambleCachingSHA2(t *testing.T) {
	pw := "caching pw"
	got := ScrambleCachingSHA2(testScramble, pw)
	// The server holds SHA256(SHA256(pw)); it recovers SHA256(pw) by
	// XOR with SHA256(stored+scramble) and hashes it again.
	h1 := sha256.Sum256([]byte(pw))
	stored := sha256.Sum256(h1[:])
	mask := sha256.Sum256(append(append([]byte{}, stored[:]...), testScramble...))
	var candidate [32]byte
	for i := range candidate {
		candidate[i] = got[i] ^ mask[i]
	}
	if sha256.Sum256(candidate[:]) != stored {
		t.Fatal("the server would reject the caching_sha2 answer")
	}
	if ScrambleCachingSHA2(testScramble, "") != nil {
		t.Error("empty password answers something")
	}
}

func TestEncryptPassword(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := EncryptPassword("pa55", testScramble, &key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := rsa.DecryptOAEP(sha1.New(), nil, key, enc, nil)
	if err != nil {
		t.Fatalf("not RSA-OAEP(SHA-1): %v", err)
	}
	want := []byte("pa55\x00")
	for i := range want {
		want[i] ^= testScramble[i%len(testScramble)]
	}
	if !bytes.Equal(plain, want) {
		t.Fatalf("plaintext %x, want %x", plain, want)
	}
}

func TestEd25519(t *testing.T) {
	// The public key MariaDB's ed25519_password('secret') returns, as
	// quoted in MariaDB's documentation of the plugin.
	if got := base64.RawStdEncoding.EncodeToString(Ed25519PublicKey("secret")); got != "ZIgUREUg5PVgQ6LskhXmO+eZLS0nC8be6HPjYWR4YJY" {
		t.Errorf("public key of 'secret' = %s", got)
	}
	msg := make([]byte, 32)
	rand.Read(msg)
	for _, pw := range []string{"", "secret", "0123456789abcdef0123456789abcdef", "a much longer password than thirty-two bytes, which no seed could hold"} {
		pub := Ed25519PublicKey(pw)
		// The public key is the standard derivation from SHA-512(pw):
		// for a 32-byte password it is crypto/ed25519's key with that seed.
		if len(pw) == 32 {
			if !bytes.Equal(pub, ed25519.NewKeyFromSeed([]byte(pw)).Public().(ed25519.PublicKey)) {
				t.Errorf("%q: public key differs from crypto/ed25519's", pw)
			}
		}
		sig, err := SignEd25519(msg, pw)
		if err != nil {
			t.Fatal(err)
		}
		if len(sig) != 64 || !ed25519.Verify(pub, msg, sig) {
			t.Errorf("%q: signature does not verify", pw)
		}
		if ed25519.Verify(Ed25519PublicKey(pw+"x"), msg, sig) {
			t.Errorf("%q: signature verifies under another password's key", pw)
		}
		other := append([]byte{}, msg...)
		other[0] ^= 1
		if ed25519.Verify(pub, other, sig) {
			t.Errorf("%q: signature verifies for another message", pw)
		}
	}
	// For a 32-byte password MariaDB's scheme is plain Ed25519 with the
	// password as seed, so the signatures agree byte for byte.
	pw := "0123456789abcdef0123456789abcdef"
	sig, _ := SignEd25519(msg, pw)
	if want := ed25519.Sign(ed25519.NewKeyFromSeed([]byte(pw)), msg); !bytes.Equal(sig, want) {
		t.Errorf("32-byte password: signature %x, crypto/ed25519 gives %x", sig, want)
	}
}
