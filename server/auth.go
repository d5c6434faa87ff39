package server

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
)

// Tokens are the accepted bearer tokens, kept only as SHA-256 hashes.
type Tokens struct {
	hashes [][sha256.Size]byte
}

// HashToken is the hex SHA-256 of a token, as written in a token file.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// LoadTokens reads a token file: one hex SHA-256 hash per line, optionally
// followed by a blank and a label; blank lines and lines starting with '#'
// are skipped.
func LoadTokens(path string) (*Tokens, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("token file: %w", err)
	}
	defer f.Close()
	t, err := ParseTokens(f)
	if err != nil {
		return nil, fmt.Errorf("token file %s: %w", path, err)
	}
	return t, nil
}

// ParseTokens reads the token-file format of LoadTokens.
func ParseTokens(r io.Reader) (*Tokens, error) {
	t := &Tokens{}
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		field := strings.Fields(line)[0]
		b, err := hex.DecodeString(field)
		if err != nil || len(b) != sha256.Size {
			return nil, fmt.Errorf("line %d: not a hex SHA-256 hash (64 hex digits)", n)
		}
		t.hashes = append(t.hashes, [sha256.Size]byte(b))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(t.hashes) == 0 {
		return nil, fmt.Errorf("no token hashes")
	}
	return t, nil
}

// Check reports whether the Authorization header value carries an accepted
// bearer token. The token's hash is compared with every stored hash in
// constant time, so neither the match nor its position leaks through timing.
func (t *Tokens) Check(authorization string) bool {
	const prefix = "bearer "
	if len(authorization) < len(prefix) || !strings.EqualFold(authorization[:len(prefix)], prefix) {
		return false
	}
	tok := strings.TrimSpace(authorization[len(prefix):])
	if tok == "" {
		return false
	}
	h := sha256.Sum256([]byte(tok))
	ok := 0
	for i := range t.hashes {
		ok |= subtle.ConstantTimeCompare(h[:], t.hashes[i][:])
	}
	return ok == 1
}
