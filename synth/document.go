package synth

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strings"
)

// Card sizes in millimetres (ICAO 9303 part 3) and MRZ geometry.
type docLayout struct {
	w, h      float64 // card size, mm
	lines     int     // MRZ lines
	chars     int     // characters per line
	baseline  float64 // last MRZ baseline above the bottom edge, mm
	radius    float64 // corner radius, mm
	pitchLine float64 // MRZ line pitch, mm
}

var layouts = map[string]docLayout{
	TD1: {85.6, 53.98, 3, 30, 3.6, 3.18, 4.23},
	TD2: {105, 74, 2, 36, 4.6, 3.18, 4.23},
	TD3: {125, 88, 2, 44, 5.0, 0, 4.23},
}

const (
	mrzPitch = 2.54 // character pitch, mm (10 per inch)
	mrzCapH  = 2.3  // OCR-B capital height, mm
)

// Document is a rendered card or passport page.
type Document struct {
	Image *image.RGBA // with alpha: transparent outside rounded corners
	// MRZQuad is the MRZ region in Image pixels.
	MRZQuad Quad
	// CharHeight is the MRZ capital height in Image pixels.
	CharHeight float64
	Lines      []string
	Data       MRZData
}

var stateNames = map[string][2]string{
	"D": {"BUNDESREPUBLIK DEUTSCHLAND", "FEDERAL REPUBLIC OF GERMANY"}, "DEU": {"BUNDESREPUBLIK DEUTSCHLAND", "FEDERAL REPUBLIC OF GERMANY"},
	"FRA": {"RÉPUBLIQUE FRANÇAISE", "FRENCH REPUBLIC"}, "NLD": {"KONINKRIJK DER NEDERLANDEN", "KINGDOM OF THE NETHERLANDS"},
	"UTO": {"UTOPIA", "REPUBLIC OF UTOPIA"}, "AUT": {"REPUBLIK ÖSTERREICH", "REPUBLIC OF AUSTRIA"},
	"BEL": {"ROYAUME DE BELGIQUE", "KINGDOM OF BELGIUM"}, "ITA": {"REPUBBLICA ITALIANA", "ITALIAN REPUBLIC"},
	"POL": {"RZECZPOSPOLITA POLSKA", "REPUBLIC OF POLAND"}, "ESP": {"REINO DE ESPAÑA", "KINGDOM OF SPAIN"},
}

var cities = []string{"BERLIN", "KÖLN", "MÜNCHEN", "HAMBURG", "DORTMUND", "PARIS", "LYON", "AMSTERDAM", "UTRECHT", "WIEN", "ROMA", "WARSZAWA", "MADRID", "ZÜRICH", "BRUXELLES", "OSLO"}

func ddmmyyyy(yymmdd string, future bool) string {
	yy := int(yymmdd[0]-'0')*10 + int(yymmdd[1]-'0')
	century := 1900
	if future || yy < 30 {
		century = 2000
	}
	return fmt.Sprintf("%s.%s.%d", yymmdd[4:6], yymmdd[2:4], century+yy)
}

// RenderDocument draws a card or passport page for d at pxPerMM pixels per
// millimetre: tinted background with a guilloche pattern, header, printed
// fields in DejaVu, a photo-like block and the OCR-B MRZ at the bottom.
func RenderDocument(r *rand.Rand, fonts *Fonts, d MRZData, pxPerMM float64) (*Document, error) {
	lay, ok := layouts[d.Format]
	if !ok {
		return nil, fmt.Errorf("synth: unknown format %q", d.Format)
	}
	lines, err := ComposeMRZ(d)
	if err != nil {
		return nil, err
	}
	s := pxPerMM
	tints := []color.RGBA{{236, 226, 238, 255}, {222, 234, 240, 255}, {238, 236, 220, 255}, {226, 238, 226, 255}, {240, 228, 222, 255}, {245, 245, 240, 255}}
	img := cardBlank(r, lay.w*s, lay.h*s, lay.radius*s, s, tints, 0.4)
	ink := color.RGBA{20, 20, 28, 255}
	label := color.RGBA{70, 80, 110, 255}
	names, ok := stateNames[d.IssuingState]
	if !ok {
		names = [2]string{"", ""}
	}
	title := map[string]string{TD3: "PASS / PASSPORT / PASSEPORT", TD2: "IDENTITY CARD / CARTE D'IDENTITÉ", TD1: "PERSONALAUSWEIS / IDENTITY CARD"}[d.Format]
	if DocumentType(d.DocumentCode) == "residence_permit" {
		title = "AUFENTHALTSTITEL / RESIDENCE PERMIT"
	}
	y := 6.0
	if names[0] != "" {
		DrawText(img, fonts.SansBold, 3.2*s, 6*s, y*s, names[0], ink)
		y += 3.4
		DrawText(img, fonts.Sans, 2.2*s, 6*s, y*s, names[1], label)
		y += 3.2
	}
	DrawText(img, fonts.SansBold, FitTextSize(fonts.SansBold, 2.6*s, (lay.w-12)*s, title), 6*s, y*s, title, ink)
	y += 2.5
	// photo block: grey with a head-and-shoulders silhouette
	mrzTop := lay.h - lay.baseline - float64(lay.lines-1)*lay.pitchLine - mrzCapH - 1.5
	pw := 0.28 * lay.w
	ph := math.Min(pw*1.28, mrzTop-y-2)
	pw = ph / 1.28
	px0, py0 := 5.0, y+1
	grey := uint8(150 + r.IntN(60))
	FillRect(img, px0*s, py0*s, (px0+pw)*s, (py0+ph)*s, color.RGBA{grey, grey, grey + 8, 255})
	skin := color.RGBA{uint8(90 + r.IntN(120)), uint8(70 + r.IntN(90)), uint8(60 + r.IntN(70)), 255}
	cx := (px0 + pw/2) * s
	photo := img.SubImage(image.Rect(int(px0*s), int(py0*s), int((px0+pw)*s), int((py0+ph)*s))).(*image.RGBA)
	FillEllipse(photo, cx, (py0+ph*0.95)*s, pw*0.45*s, ph*0.3*s, color.RGBA{uint8(30 + r.IntN(80)), uint8(30 + r.IntN(80)), uint8(40 + r.IntN(80)), 255})
	FillEllipse(photo, cx, (py0+ph*0.42)*s, pw*0.24*s, ph*0.24*s, skin)
	FillEllipse(photo, cx, (py0+ph*0.28)*s, pw*0.26*s, ph*0.13*s, color.RGBA{uint8(20 + r.IntN(100)), uint8(15 + r.IntN(60)), 10, 255})
	// fields
	fx := px0 + pw + 4
	fw := lay.w - fx - 4
	type fld struct{ l, v string }
	sexText := map[string]string{"M": "M", "F": "F", "<": "X"}[d.Sex]
	flds := []fld{
		{"Name / Surname", d.Surname},
		{"Vornamen / Given names", d.GivenNames},
		{"Geburtstag / Date of birth", ddmmyyyy(d.BirthDate, false)},
		{"Staatsangehörigkeit / Nationality", strings.Trim(d.Nationality, "<")},
		{"Geburtsort / Place of birth", cities[r.IntN(len(cities))]},
		{"Gültig bis / Date of expiry", ddmmyyyy(d.ExpiryDate, true)},
	}
	if d.Format != TD1 {
		flds = append(flds, fld{"Geschlecht / Sex", sexText})
	}
	flds = append([]fld{{"Dokument-Nr. / Document No.", d.DocumentNumber}}, flds...)
	step := (mrzTop - y - 1) / float64(len(flds))
	step = math.Min(step, 6.5)
	lsz, vsz := math.Min(1.6, step*0.3), math.Min(2.8, step*0.45)
	fy := y + 1
	for _, f := range flds {
		fy += lsz * 1.1
		DrawText(img, fonts.Sans, lsz*s, fx*s, fy*s, f.l, label)
		fy += vsz * 1.05
		DrawText(img, fonts.SansBold, FitTextSize(fonts.SansBold, vsz*s, fw*s, f.v), fx*s, fy*s, f.v, ink)
		fy += step - lsz*1.1 - vsz*1.05
	}
	// signature scribble
	sx, sy := fx+fw*0.5, mrzTop-1.5
	for i := 0; i < 6; i++ {
		StrokeLine(img, (sx+float64(i)*2.5)*s, (sy-r.Float64()*2)*s, (sx+float64(i+1)*2.5)*s, (sy-r.Float64()*2)*s, 0.25*s, color.RGBA{30, 40, 120, 220})
	}
	// MRZ
	width := float64(lay.chars) * mrzPitch
	x0 := (lay.w - width) / 2
	mrzInk := color.RGBA{uint8(r.IntN(30)), uint8(r.IntN(30)), uint8(r.IntN(35)), 255}
	var top float64
	for i, l := range lines {
		base := lay.h - lay.baseline - float64(len(lines)-1-i)*lay.pitchLine
		if i == 0 {
			top = base - mrzCapH
		}
		DrawFixedPitch(img, fonts.OCRB, l, x0*s, base*s, width*s, mrzCapH*s, mrzInk)
	}
	bot := lay.h - lay.baseline
	m := 0.8
	q := RectQuad((x0-m)*s, (top-m)*s, (x0+width+m)*s, (bot+m)*s)
	return &Document{Image: img, MRZQuad: q, CharHeight: mrzCapH * s, Lines: lines, Data: d}, nil
}

// cardBlank is a w x h card (pixels, rounded to whole ones) of a tint
// drawn from tints, with corners of radius rad, a vertical gradient from
// the tint lightened by light, and a guilloche pattern at scale s
// (pixels per mm); outside the rounded corners it is transparent.
func cardBlank(r *rand.Rand, w, h, rad, s float64, tints []color.RGBA, light float64) *image.RGBA {
	W, H := int(math.Round(w)), int(math.Round(h))
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	tint := tints[r.IntN(len(tints))]
	FillRoundRect(img, 0, 0, float64(W), float64(H), rad, tint)
	card := image.NewRGBA(img.Bounds())
	VerticalGradient(card, lerpColor(tint, color.RGBA{255, 255, 255, 255}, light), lerpColor(tint, color.RGBA{150, 160, 190, 255}, 0.15))
	guilloche(card, r, s)
	// keep the rounded-corner alpha of img
	for o := 0; o < len(img.Pix); o += 4 {
		a := float64(img.Pix[o+3]) / 255
		for k := 0; k < 3; k++ {
			img.Pix[o+k] = uint8(float64(card.Pix[o+k])*a + 0.5)
		}
	}
	return img
}

// guilloche draws faint security-print wave lines.
func guilloche(img *image.RGBA, r *rand.Rand, s float64) {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	c := color.RGBA{uint8(100 + r.IntN(120)), uint8(100 + r.IntN(120)), uint8(140 + r.IntN(110)), 70}
	n := 14 + r.IntN(10)
	amp, per := uniform(r, 2, 6)*s, uniform(r, 15, 40)*s
	for i := 0; i < n; i++ {
		y0 := h * float64(i) / float64(n)
		ph := float64(i) * 0.5
		px, py := 0.0, y0+amp*math.Sin(ph)
		for x := 2 * s; x <= w+2*s; x += 2 * s {
			ny := y0 + amp*math.Sin(x/per*2*math.Pi+ph)
			StrokeLine(img, px, py, x, ny, math.Max(1, 0.12*s), c)
			px, py = x, ny
		}
	}
	ValueNoise(img, r, 4*s, 4)
}
