package onnxfold

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The protobuf wire format, as much of it as an ONNX model uses: each
// message is a sequence of fields, each a key (field number and wire type)
// and a value. Messages are kept as their fields in order, so that what
// this package does not touch is written back byte for byte.

// Wire types.
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// field is one field of a message: v holds a varint or fixed value, data
// a length-delimited one (a string, bytes, a packed list or a message).
type field struct {
	num  int
	wt   int
	v    uint64
	data []byte
}

var errTruncated = errors.New("truncated protobuf")

// parse splits a message into its fields. data of length-delimited fields
// aliases b.
func parse(b []byte) ([]field, error) {
	var fs []field
	for len(b) > 0 {
		k, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errTruncated
		}
		b = b[n:]
		f := field{num: int(k >> 3), wt: int(k & 7)}
		if f.num <= 0 {
			return nil, fmt.Errorf("protobuf field number %d", k>>3)
		}
		switch f.wt {
		case wireVarint:
			f.v, n = binary.Uvarint(b)
			if n <= 0 {
				return nil, errTruncated
			}
			b = b[n:]
		case wireFixed64:
			if len(b) < 8 {
				return nil, errTruncated
			}
			f.v = binary.LittleEndian.Uint64(b)
			b = b[8:]
		case wireFixed32:
			if len(b) < 4 {
				return nil, errTruncated
			}
			f.v = uint64(binary.LittleEndian.Uint32(b))
			b = b[4:]
		case wireBytes:
			l, n := binary.Uvarint(b)
			if n <= 0 || l > uint64(len(b)-n) {
				return nil, errTruncated
			}
			b = b[n:]
			f.data = b[:l:l]
			b = b[l:]
		default:
			return nil, fmt.Errorf("protobuf wire type %d", f.wt)
		}
		fs = append(fs, f)
	}
	return fs, nil
}

// encode writes fields as a message.
func encode(fs []field) []byte {
	n := 0
	for _, f := range fs {
		n += 20 + len(f.data)
	}
	out := make([]byte, 0, n)
	for _, f := range fs {
		out = binary.AppendUvarint(out, uint64(f.num)<<3|uint64(f.wt))
		switch f.wt {
		case wireVarint:
			out = binary.AppendUvarint(out, f.v)
		case wireFixed64:
			out = binary.LittleEndian.AppendUint64(out, f.v)
		case wireFixed32:
			out = binary.LittleEndian.AppendUint32(out, uint32(f.v))
		case wireBytes:
			out = binary.AppendUvarint(out, uint64(len(f.data)))
			out = append(out, f.data...)
		}
	}
	return out
}

// bytesField is a length-delimited field.
func bytesField(num int, data []byte) field {
	return field{num: num, wt: wireBytes, data: data}
}

// varints are the values of a repeated varint field, packed or not.
func varints(f field) ([]uint64, error) {
	if f.wt == wireVarint {
		return []uint64{f.v}, nil
	}
	if f.wt != wireBytes {
		return nil, fmt.Errorf("protobuf: wire type %d for a varint", f.wt)
	}
	var out []uint64
	for b := f.data; len(b) > 0; {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errTruncated
		}
		out = append(out, v)
		b = b[n:]
	}
	return out, nil
}
