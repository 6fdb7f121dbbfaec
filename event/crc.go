package event

import (
	"encoding/binary"
	"hash/crc32"
)

// crcTables are slicing-by-8 tables of the IEEE polynomial.
var crcTables = func() *[8][256]uint32 {
	t := new([8][256]uint32)
	t[0] = *crc32.MakeTable(crc32.IEEE)
	for i := range 256 {
		c := t[0][i]
		for k := 1; k < 8; k++ {
			c = t[0][c&0xff] ^ c>>8
			t[k][i] = c
		}
	}
	return t
}()

// crcIEEE returns crc32.Update(crc, crc32.IEEETable, p), faster for the
// short and odd-sized inputs binlog events are: the standard library
// carry-less-multiplies whole 16-byte blocks of inputs of 64 bytes or more
// and feeds the rest (up to 15 bytes, or all of a shorter input past its
// last 8-byte step) one byte at a time; here the blocks still go to the
// standard library and the rest is taken 8 and 4 bytes at a time.
func crcIEEE(crc uint32, p []byte) uint32 {
	if n := len(p) &^ 15; n >= 64 {
		crc = crc32.Update(crc, crc32.IEEETable, p[:n])
		p = p[n:]
	}
	t := crcTables
	crc = ^crc
	for len(p) >= 8 {
		lo := crc ^ binary.LittleEndian.Uint32(p)
		hi := binary.LittleEndian.Uint32(p[4:])
		crc = t[7][lo&0xff] ^ t[6][lo>>8&0xff] ^ t[5][lo>>16&0xff] ^ t[4][lo>>24] ^
			t[3][hi&0xff] ^ t[2][hi>>8&0xff] ^ t[1][hi>>16&0xff] ^ t[0][hi>>24]
		p = p[8:]
	}
	if len(p) >= 4 {
		c := crc ^ binary.LittleEndian.Uint32(p)
		crc = t[3][c&0xff] ^ t[2][c>>8&0xff] ^ t[1][c>>16&0xff] ^ t[0][c>>24]
		p = p[4:]
	}
	for _, b := range p {
		crc = t[0][byte(crc)^b] ^ crc>>8
	}
	return ^crc
}
