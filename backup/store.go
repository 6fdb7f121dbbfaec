package backup

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// ErrNoIdentity reports an age-encrypted file read without an identity that
// can decrypt it.
var ErrNoIdentity = errors.New("backup: encrypted with age; no identity given can decrypt it")

// ageMagic starts every age file.
var ageMagic = []byte("age-encryption.org/v1\n")

// Compression signatures, as the stored files start.
var (
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
	lz4Magic  = []byte{0x04, 0x22, 0x4d, 0x18}
	gzipMagic = []byte{0x1f, 0x8b}
)

// ParseRecipients parses age recipients for encryption: each argument is an
// X25519 public key ("age1…") or the path of a recipients file (one key a
// line, # comments), as age -r and age -R take them.
func ParseRecipients(args ...string) ([]age.Recipient, error) {
	var out []age.Recipient
	for _, a := range args {
		a = strings.TrimSpace(a)
		if strings.HasPrefix(a, "age1") {
			r, err := age.ParseX25519Recipient(a)
			if err != nil {
				return nil, fmt.Errorf("backup: recipient %q: %w", a, err)
			}
			out = append(out, r)
			continue
		}
		f, err := os.Open(a)
		if err != nil {
			return nil, fmt.Errorf("backup: recipient %q is neither an age1… public key nor a readable recipients file: %w", a, err)
		}
		rs, err := age.ParseRecipients(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("backup: recipients file %s: %w", a, err)
		}
		out = append(out, rs...)
	}
	return out, nil
}

// ReadIdentities reads age identities (X25519 secret keys, "AGE-SECRET-KEY-1…"
// lines, as age-keygen writes them) from the files at paths.
func ReadIdentities(paths ...string) ([]age.Identity, error) {
	var out []age.Identity
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("backup: identity file: %w", err)
		}
		ids, err := age.ParseIdentities(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("backup: identity file %s: %w", p, err)
		}
		out = append(out, ids...)
	}
	return out, nil
}

// storeOptions say how completed files are stored.
type storeOptions struct {
	comp       Compression
	recipients []age.Recipient
	fsync      bool
}

// stored describes what storeFile wrote.
type stored struct {
	name       string // the stored file's name
	size       int64  // its length
	sum        string // its hex SHA-256
	plainSize  int64
	plainSum   string
	compressed Compression
	encrypted  bool
}

// countHash counts and hashes what is written through it.
type countHash struct {
	w io.Writer
	h hash.Hash
	n int64
}

func newCountHash(w io.Writer) *countHash { return &countHash{w: w, h: sha256.New()} }

func (c *countHash) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	return n, err
}

func (c *countHash) sum() string { return hex.EncodeToString(c.h.Sum(nil)) }

// encoder returns the writer that compresses and encrypts into w; closing it
// ends every layer (w itself stays open).
func (o storeOptions) encoder(w io.Writer) (io.WriteCloser, error) {
	var layers []io.Closer
	var top io.Writer = w
	if len(o.recipients) > 0 {
		aw, err := age.Encrypt(top, o.recipients...)
		if err != nil {
			return nil, err
		}
		layers = append(layers, aw)
		top = aw
	}
	switch o.comp {
	case Zstd:
		zw, err := zstd.NewWriter(top, zstd.WithEncoderConcurrency(1), zstd.WithEncoderCRC(true))
		if err != nil {
			return nil, err
		}
		layers = append(layers, zw)
		top = zw
	case Lz4:
		lw := lz4.NewWriter(top)
		if err := lw.Apply(lz4.ChecksumOption(true), lz4.BlockChecksumOption(true)); err != nil {
			return nil, err
		}
		layers = append(layers, lw)
		top = lw
	case Gzip:
		gw := gzip.NewWriter(top)
		layers = append(layers, gw)
		top = gw
	}
	return &layered{w: top, layers: layers}, nil
}

// layered is a writer over several layers closed innermost-last.
type layered struct {
	w      io.Writer
	layers []io.Closer // outermost (closest to the file) first
}

func (l *layered) Write(p []byte) (int, error) { return l.w.Write(p) }

func (l *layered) Close() error {
	var err error
	for i := len(l.layers) - 1; i >= 0; i-- {
		if cerr := l.layers[i].Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// storeFile writes the binlog bytes read from src as the stored file of
// name in dir: a hidden temporary file, synced when asked, renamed into
// place. patch, when not nil, is applied to the bytes at offset patchAt
// (the FORMAT_DESCRIPTION's in-use flag).
func storeFile(dir, name string, src io.Reader, o storeOptions, patchAt int64, patch []byte) (stored, error) {
	st := stored{name: storedFileName(name, o.comp, len(o.recipients) > 0, false), compressed: o.comp, encrypted: len(o.recipients) > 0}
	final := dir + string(os.PathSeparator) + st.name
	tmp := dir + string(os.PathSeparator) + "." + st.name + ".tmp"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return st, err
	}
	fail := func(err error) (stored, error) {
		out.Close()
		os.Remove(tmp)
		return st, fmt.Errorf("backup: storing %s: %w", name, err)
	}
	bw := bufio.NewWriterSize(out, 256<<10)
	storedW := newCountHash(bw)
	enc, err := o.encoder(storedW)
	if err != nil {
		return fail(err)
	}
	plain := newCountHash(enc)
	if patch != nil {
		src = &patchReader{r: src, at: patchAt, patch: patch}
	}
	if _, err := io.Copy(plain, src); err != nil {
		enc.Close()
		return fail(err)
	}
	if err := enc.Close(); err != nil {
		return fail(err)
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	if o.fsync {
		if err := out.Sync(); err != nil {
			return fail(err)
		}
	}
	if err := out.Close(); err != nil {
		os.Remove(tmp)
		return st, err
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return st, err
	}
	st.size, st.sum = storedW.n, storedW.sum()
	st.plainSize, st.plainSum = plain.n, plain.sum()
	return st, nil
}

// patchReader replaces bytes of r at offset at with patch.
type patchReader struct {
	r     io.Reader
	off   int64
	at    int64
	patch []byte
}

func (p *patchReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	for i := range p.patch {
		if k := p.at + int64(i) - p.off; k >= 0 && k < int64(n) {
			b[k] = p.patch[i]
		}
	}
	p.off += int64(n)
	return n, err
}

// openPlain opens a stored file and returns a reader of the binlog bytes it
// holds: decrypted with ids when it is an age file, then decompressed when
// it starts with a zstd, lz4 or gzip signature. The caller closes the
// returned closer.
func openPlain(path string, ids []age.Identity) (io.Reader, io.Closer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	r, closeDec, err := decodeStored(bufio.NewReaderSize(f, 256<<10), ids)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, closers{closeDec, f.Close}, nil
}

// closers closes each in order.
type closers []func() error

func (c closers) Close() error {
	var err error
	for _, f := range c {
		if f == nil {
			continue
		}
		if cerr := f(); err == nil {
			err = cerr
		}
	}
	return err
}

// decodeStored returns the plain binlog bytes of a stored file read from
// br, and what to close when done (nil when nothing).
func decodeStored(br *bufio.Reader, ids []age.Identity) (io.Reader, func() error, error) {
	head, _ := br.Peek(len(ageMagic))
	var r io.Reader = br
	if bytes.Equal(head, ageMagic) {
		if len(ids) == 0 {
			return nil, nil, ErrNoIdentity
		}
		dr, err := age.Decrypt(br, ids...)
		if err != nil {
			var nm *age.NoIdentityMatchError
			if errors.As(err, &nm) {
				return nil, nil, fmt.Errorf("%w (%v)", ErrNoIdentity, err)
			}
			return nil, nil, fmt.Errorf("age: %w", err)
		}
		br = bufio.NewReaderSize(dr, 256<<10)
		r = br
		head, _ = br.Peek(4)
	}
	switch {
	case bytes.HasPrefix(head, zstdMagic):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, nil, fmt.Errorf("zstd: %w", err)
		}
		return zr, func() error { zr.Close(); return nil }, nil
	case bytes.HasPrefix(head, lz4Magic):
		return lz4.NewReader(br), nil, nil
	case bytes.HasPrefix(head, gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, zr.Close, nil
	}
	return r, nil, nil
}
