package preprocess

import "encoding/binary"

// Orientation is the EXIF orientation tag (1..8); 1 means upright.
type Orientation int

// JPEGOrientation returns the EXIF orientation of a JPEG held in data, or 1
// when there is none or the EXIF block is malformed. It reads only the
// marker segments before the first scan and never allocates image memory.
func JPEGOrientation(data []byte) Orientation {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return 1
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan / end of image
			return 1
		}
		if marker >= 0xD0 && marker <= 0xD7 || marker == 0x01 { // no length
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2 : i+4]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			if o, ok := tiffOrientation(seg[6:]); ok {
				return o
			}
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF structure.
func tiffOrientation(t []byte) (Orientation, bool) {
	if len(t) < 8 {
		return 1, false
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1, false
	}
	if bo.Uint16(t[2:4]) != 42 {
		return 1, false
	}
	off := int(bo.Uint32(t[4:8]))
	if off < 8 || off+2 > len(t) {
		return 1, false
	}
	count := int(bo.Uint16(t[off : off+2]))
	p := off + 2
	for k := 0; k < count; k++ {
		e := p + 12*k
		if e+12 > len(t) {
			return 1, false
		}
		if bo.Uint16(t[e:e+2]) != 0x0112 {
			continue
		}
		typ := bo.Uint16(t[e+2 : e+4])
		var v int
		switch typ {
		case 3: // SHORT
			v = int(bo.Uint16(t[e+8 : e+10]))
		case 4: // LONG
			v = int(bo.Uint32(t[e+8 : e+12]))
		default:
			return 1, false
		}
		if v < 1 || v > 8 {
			return 1, false
		}
		return Orientation(v), true
	}
	return 1, false
}

// Swaps reports whether applying o exchanges width and height.
func (o Orientation) Swaps() bool { return o >= 5 && o <= 8 }
