//go:build race

package backup

// raceEnabled: the race detector makes each Verify ten times slower; the
// flipped-byte test then samples fewer offsets.
const raceEnabled = true
