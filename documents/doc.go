// Package documents finds identity documents in photos and reads their
// visual zone: it picks and refines the card outline among OpenCV's
// contour candidates and the text detector's boxes, tells the document
// type and issuing country from keywords, layout and the MRZ, reads the
// printed fields by layout templates on the normalized card image,
// cross-checks them with the MRZ and judges the capture quality.
//
// It is pure Go: it takes plain pixels, quads and recognized lines and
// returns plain structs (the native stages live in preprocess and
// pipeline).
package documents

import "docscan/geom"

// Document types (CONTRACT document record).
const (
	Passport            = "passport"
	IDCard              = "id_card"
	ResidencePermit     = "residence_permit"
	DrivingLicence      = "driving_licence"
	VehicleRegistration = "vehicle_registration"
	Unknown             = "unknown"
)

// Formats of the physical document (ISO/IEC 7810).
const (
	ID1 = "ID1" // 85.60 x 53.98 mm cards
	ID3 = "ID3" // 125 x 88 mm passport data pages
)

// Size is the width and height of the normalized image of a format.
func Size(format string) (w, h int) {
	if format == ID3 {
		return 1000, 704
	}
	return 1000, 630
}

// Aspect is the width/height ratio of a format.
func Aspect(format string) float64 {
	if format == ID3 {
		return 125.0 / 88
	}
	return 85.6 / 53.98
}

// Line is a recognized text line on the normalized document image.
type Line struct {
	Text string
	Conf float64
	// Box is x0, y0, x1, y1 in normalized image pixels.
	Box [4]float64
	// Alt is a second reading (another engine), when one was made.
	Alt     string
	AltConf float64
}

func (l Line) cx() float64 { return (l.Box[0] + l.Box[2]) / 2 }
func (l Line) cy() float64 { return (l.Box[1] + l.Box[3]) / 2 }
func (l Line) h() float64  { return l.Box[3] - l.Box[1] }

// Field is one visual-zone field of the record.
type Field struct {
	Value      string  `json:"value"`
	Confidence float64 `json:"confidence"`
	// Box is x, y, w, h in original image pixels.
	Box    [4]float64 `json:"box"`
	Source string     `json:"source"` // "visual" or "mrz"
	// Raw is the text as read, when the value was normalized from it.
	Raw string `json:"raw,omitempty"`
}

// Check is the agreement of a visual field with the MRZ.
type Check struct {
	Visual string `json:"visual"`
	MRZ    string `json:"mrz"`
	Agree  bool   `json:"agree"`
}

// Record is the document record of the contract.
type Record struct {
	Kind         string           `json:"kind"`
	DocumentType string           `json:"document_type"`
	Country      string           `json:"country,omitempty"`
	Format       string           `json:"format"`
	Fields       map[string]Field `json:"fields"`
	// CrossCheck compares the fields that the MRZ also carries.
	CrossCheck map[string]Check `json:"cross_check,omitempty"`
	// Checks tells, per field printed with a check character, whether
	// the value keeps it: a German driving licence's number
	// (docscan/internal/licnum). A false is a number read wrong or a
	// forgery's.
	Checks map[string]bool `json:"checks,omitempty"`
	// Orientation is the clockwise rotation (0, 90, 180, 270) of the
	// document in the photo.
	Orientation int       `json:"orientation"`
	Confidence  float64   `json:"confidence"`
	Quad        geom.Quad `json:"quad"`
	// CornerSource tells how the outline was found: "edges" (a contour),
	// "text+edges" (edges found outwards from the text layout), "text"
	// (the text layout's extent alone), "outline" (a contour holding
	// scattered print) or "layout" (a driving licence's outline moved
	// onto the card by where its printed lines stand: RegisterLicence).
	CornerSource string `json:"corner_source"`
	// Capture are the quality figures of the card the gate judged.
	Capture *CaptureFigures `json:"capture,omitempty"`
}

// CaptureFigures are the rounded Capture figures reported in the record.
type CaptureFigures struct {
	Sharpness  float64 `json:"sharpness"` // Capture.PhotoSharpness, the figure the gate judges
	Glare      float64 `json:"glare"`
	Brightness float64 `json:"brightness"`
	CardPixels float64 `json:"card_pixels"` // long side of the card in the photo
}
