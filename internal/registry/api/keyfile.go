package api

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/provisionhq/provision"
)

// maxKeyFileBytes bounds a key file.
const maxKeyFileBytes = 1 << 20

// LoadKeyFile reads the HMAC keys redaction uses from a JSON object of
// key IDs to keys in standard base64, each at least provision.MinKeySize
// (32) bytes:
//
//	{"svm": "q8Jc…=", "install": "…"}
//
// Errors name the file and the key ID, never a key: the file is read by
// the server only, and no key is ever answered or logged.
func LoadKeyFile(path string) (*provision.StaticKeys, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	if info.Size() > maxKeyFileBytes {
		return nil, fmt.Errorf("key file %s: %d bytes, over %d", path, info.Size(), maxKeyFileBytes)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	return ParseKeys(data)
}

// ParseKeys reads keys in the format of LoadKeyFile.
func ParseKeys(data []byte) (*provision.StaticKeys, error) {
	var raw map[string]string
	if err := json.Unmarshal(data, &raw); err != nil {
		// json's errors quote no input beyond a character's position.
		return nil, fmt.Errorf("key file: not a JSON object of key IDs to base64 keys: %w", err)
	}
	ids := make([]string, 0, len(raw))
	for id := range raw {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	keys := make(map[string][]byte, len(raw))
	for _, id := range ids {
		k, err := base64.StdEncoding.DecodeString(raw[id])
		if err != nil {
			return nil, fmt.Errorf("key file: key %q is not standard base64", id)
		}
		if len(k) < provision.MinKeySize {
			return nil, fmt.Errorf("key file: key %q has %d bytes, fewer than %d", id, len(k), provision.MinKeySize)
		}
		keys[id] = k
	}
	sk, err := provision.NewStaticKeys(keys)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	return sk, nil
}
