package event

import (
	"bytes"
	"hash/adler32"
	"io"

	"github.com/klauspost/compress/flate"
)

// inflater decompresses the zlib streams (RFC 1950) of MariaDB's compressed
// events. It reuses one flate reader and checks the Adler-32 trailer itself,
// so that once warm it does not allocate (zlib readers allocate a new
// checksum state on every Reset).
type inflater struct {
	br bytes.Reader
	fr io.ReadCloser
}

// inflate decompresses stream into dst[:0], which must come to exactly want
// bytes; dst grows only as data actually arrives.
func (z *inflater) inflate(dst, stream []byte, want int) ([]byte, error) {
	if len(stream) < 2+4 {
		return nil, corruptf("zlib: stream of %d bytes", len(stream))
	}
	cmf, flg := stream[0], stream[1]
	if cmf&0x0f != 8 || cmf>>4 > 7 || (uint16(cmf)<<8|uint16(flg))%31 != 0 {
		return nil, corruptf("zlib: bad header %02x %02x", cmf, flg)
	}
	if flg&0x20 != 0 {
		return nil, unsupportedf("zlib: preset dictionary")
	}
	z.br.Reset(stream[2:])
	if z.fr == nil {
		z.fr = flate.NewReader(&z.br)
	} else if err := z.fr.(flate.Resetter).Reset(&z.br, nil); err != nil {
		return nil, corruptf("zlib: %v", err)
	}
	dst, err := inflate(dst[:0], z.fr, want)
	if err != nil {
		return nil, err
	}
	// The deflate reader stops exactly at the end of its stream (bytes.Reader
	// is an io.ByteReader), so the Adler-32 of the data follows.
	var sum uint32
	for i := 0; i < 4; i++ {
		c, err := z.br.ReadByte()
		if err != nil {
			return nil, corruptf("zlib: missing checksum")
		}
		sum = sum<<8 | uint32(c)
	}
	if sum != adler32.Checksum(dst) {
		return nil, corruptf("zlib: checksum mismatch")
	}
	return dst, nil
}

// inflate reads exactly want bytes from zr into dst, growing dst only as
// data arrives, and fails when the stream holds more or fewer.
func inflate(dst []byte, zr io.Reader, want int) ([]byte, error) {
	for {
		if len(dst) == cap(dst) {
			c := 2 * cap(dst)
			if c < 4096 {
				c = 4096
			}
			if c > want+1 {
				c = want + 1
			}
			if c <= len(dst) {
				c = len(dst) + 1
			}
			nb := make([]byte, len(dst), c)
			copy(nb, dst)
			dst = nb
		}
		m, err := zr.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+m]
		if len(dst) > want {
			return nil, corruptf("compressed record: more than the declared %d bytes", want)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, corruptf("compressed record: %v", err)
		}
	}
	if len(dst) != want {
		return nil, corruptf("compressed record: %d bytes, declared %d", len(dst), want)
	}
	return dst, nil
}
