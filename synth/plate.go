package synth

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// PlateParts is a German plate split into its parts.
type PlateParts struct {
	District string `json:"district"`
	Letters  string `json:"letters"`
	Digits   string `json:"digits"`
	Suffix   string `json:"suffix"`
}

// Text is the plate without separators (umlauts kept).
func (p PlateParts) Text() string { return p.District + p.Letters + p.Digits + p.Suffix }

// Display is the plate as written: "DO-AB 1234E".
func (p PlateParts) Display() string {
	return p.District + "-" + p.Letters + " " + p.Digits + p.Suffix
}

// plateDistricts is a small sample of German district codes, umlaut codes included.
var plateDistricts = []string{
	"B", "M", "K", "F", "S", "H", "D", "DO", "HH", "HB", "BN", "KA", "MA", "HD", "LB", "ES", "BO", "GE",
	"OB", "MS", "OS", "HN", "UL", "AC", "BI", "WI", "MZ", "KS", "EF", "DD", "L", "C", "HAL", "MD", "PM",
	"GÖ", "AÖ", "BÜS", "DÜW", "LÖ", "TÖL", "MÜ", "FÜ", "KÖN", "SÖM", "MÜR", "NÖ", "LÜN", "JÜL", "HÖS",
	"GÜ", "KÜN", "BÖ", "PLÖ", "SÄK", "SÜW", "ÜB", "WÜ", "TÜ", "BGL", "GAP", "STA", "FFB", "WAF", "RE",
}

// letters never issued as the middle group.
var badLetters = map[string]bool{"HJ": true, "KZ": true, "NS": true, "SA": true, "SD": true, "SS": true}

// RandomPlate draws a valid German plate: district, 1-2 letters, 1-4 digits
// without a leading zero, optional E/H suffix, at most 8 characters with the
// suffix.
func RandomPlate(r *rand.Rand) PlateParts {
	for {
		p := PlateParts{District: plateDistricts[r.IntN(len(plateDistricts))]}
		p.Letters = randString(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1+r.IntN(2))
		nd := 1 + r.IntN(4)
		p.Digits = randString(r, "123456789", 1) + randString(r, "0123456789", nd-1)
		switch r.IntN(10) {
		case 0:
			p.Suffix = "E"
		case 1:
			p.Suffix = "H"
		}
		if badLetters[p.Letters] || utf8.RuneCountInString(p.Text()) > 8 {
			continue
		}
		return p
	}
}

// Plate is a rendered plate.
type Plate struct {
	Image    *image.RGBA // with alpha outside the rounded corners
	Parts    PlateParts
	TwoLines bool
	Badges   int // 0: blank seal gap, 1: seal, 2: HU sticker and seal
}

var (
	euBlue    = color.RGBA{0, 51, 153, 255}
	euYellow  = color.RGBA{255, 204, 0, 255}
	plateInk  = color.RGBA{15, 15, 15, 255}
	plateBase = color.RGBA{246, 246, 242, 255}
)

// RenderPlate draws p as an EU-style German plate at pxPerMM: 520x110 mm on
// one line, or 255x200 mm on two lines (district and seals above, letters and
// digits below), with the blue band (stars and "D"), black border, DIN
// lettering and seal badges (badges 0, 1 or 2) in the gap after the district.
func RenderPlate(r *rand.Rand, fonts *Fonts, p PlateParts, twoLines bool, badges int, pxPerMM float64) *Plate {
	s := pxPerMM
	wmm, hmm := 520.0, 110.0
	if twoLines {
		wmm, hmm = 255, 200
	}
	W, H := int(math.Round(wmm*s)), int(math.Round(hmm*s))
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	base := lerpColor(plateBase, color.RGBA{255, 250, 225, 255}, r.Float64()*0.5)
	FillRoundRect(img, 0, 0, float64(W), float64(H), 5*s, base)
	StrokeRoundRect(img, 2*s, 2*s, float64(W)-2*s, float64(H)-2*s, 4*s, 2.2*s, plateInk)
	// EU band
	bx0, by0, bx1, by1 := 4.0*s, 4.0*s, 44*s, float64(H)-4*s
	FillRoundRect(img, bx0, by0, bx1, by1, 2.5*s, euBlue)
	bcx := (bx0 + bx1) / 2
	starR := 11 * s
	starCY := by0 + 19*s
	if twoLines {
		starCY = by0 + 40*s
	}
	for i := 0; i < 12; i++ {
		a := float64(i) * math.Pi / 6
		star(img, bcx+starR*math.Sin(a), starCY-starR*math.Cos(a), 2.2*s, euYellow)
	}
	dSize := 26 * s / CapHeight(fonts.DIN) * 0.75
	dw := TextWidth(fonts.DIN, dSize, "D")
	dBase := by1 - 8*s
	if twoLines {
		dBase = by1 - 40*s
	}
	DrawText(img, fonts.DIN, dSize, bcx-dw/2, dBase, "D", color.RGBA{255, 255, 255, 255})

	capH := 75.0
	if twoLines {
		capH = 49
	}
	size := capH * s / CapHeight(fonts.DIN)
	badgeD := 38.0 * s
	if twoLines {
		badgeD = 30 * s
	}
	gap := badgeD + 8*s
	space := 14 * s
	drawBadges := func(x, cy float64) {
		if badges == 0 {
			return
		}
		ys := []float64{cy}
		if badges == 2 {
			d := badgeD * 0.5
			if !twoLines {
				d = badgeD * 0.52
			}
			ys = []float64{cy - d, cy + d}
		}
		rad := badgeD / 2
		if badges == 2 && !twoLines {
			rad = badgeD * 0.48
		}
		for i, y := range ys {
			if badges == 2 && i == 0 {
				hu := []color.RGBA{{230, 120, 160, 255}, {80, 150, 220, 255}, {240, 200, 60, 255}, {120, 190, 90, 255}, {200, 140, 90, 255}}[r.IntN(5)]
				FillEllipse(img, x, y, rad, rad, hu)
				FillEllipse(img, x, y, rad*0.35, rad*0.35, lerpColor(hu, color.RGBA{0, 0, 0, 255}, 0.3))
				for k := 0; k < 12; k++ {
					a := float64(k) * math.Pi / 6
					StrokeLine(img, x+rad*0.45*math.Cos(a), y+rad*0.45*math.Sin(a), x+rad*0.9*math.Cos(a), y+rad*0.9*math.Sin(a), 0.7*s, color.RGBA{40, 40, 40, 200})
				}
			} else {
				FillEllipse(img, x, y, rad, rad, color.RGBA{200, 200, 200, 255})
				FillEllipse(img, x, y, rad*0.78, rad*0.78, color.RGBA{235, 235, 230, 255})
				FillEllipse(img, x, y, rad*0.4, rad*0.5, []color.RGBA{{60, 60, 60, 255}, {40, 90, 160, 255}, {160, 40, 40, 255}}[r.IntN(3)])
			}
		}
	}
	left := bx1 + 4*s
	right := float64(W) - 8*s
	if !twoLines {
		wd := TextWidth(fonts.DIN, size, p.District)
		wt := TextWidth(fonts.DIN, size, p.Letters) + space + TextWidth(fonts.DIN, size, p.Digits+p.Suffix)
		total := wd + gap + wt
		sc := math.Min(1, (right-left)/total)
		sz := size * sc
		x := left + ((right-left)-total*sc)/2
		baseY := float64(H)/2 + capH*s/2
		x += DrawText(img, fonts.DIN, sz, x, baseY, p.District, plateInk)
		drawBadges(x+gap*sc/2, float64(H)/2)
		x += gap * sc
		x += DrawText(img, fonts.DIN, sz, x, baseY, p.Letters, plateInk)
		x += space * sc
		DrawText(img, fonts.DIN, sz, x, baseY, p.Digits+p.Suffix, plateInk)
	} else {
		// line 1: district + badges; line 2: letters + digits
		y1 := hmm*0.25*s + capH*s/2 + 4*s
		y2 := hmm*0.72*s + capH*s/2 + 2*s
		wd := TextWidth(fonts.DIN, size, p.District)
		l1 := wd + gap
		sc1 := math.Min(1, (right-left)/l1)
		x := left + ((right-left)-l1*sc1)/2
		x += DrawText(img, fonts.DIN, size*sc1, x, y1, p.District, plateInk)
		drawBadges(x+gap*sc1/2, y1-capH*s/2)
		l2 := TextWidth(fonts.DIN, size, p.Letters) + space*0.7 + TextWidth(fonts.DIN, size, p.Digits+p.Suffix)
		sc2 := math.Min(1, (right-left)/l2)
		x = left + ((right-left)-l2*sc2)/2
		x += DrawText(img, fonts.DIN, size*sc2, x, y2, p.Letters, plateInk)
		x += space * 0.7 * sc2
		DrawText(img, fonts.DIN, size*sc2, x, y2, p.Digits+p.Suffix, plateInk)
	}
	// mild dirt
	ValueNoise(img, r, 20*s, 6)
	for o := 0; o < len(img.Pix); o += 4 { // keep premultiplied alpha consistent
		a := img.Pix[o+3]
		for k := 0; k < 3; k++ {
			if img.Pix[o+k] > a {
				img.Pix[o+k] = a
			}
		}
	}
	return &Plate{Image: img, Parts: p, TwoLines: twoLines, Badges: badges}
}

// star draws a five-pointed star of outer radius rad.
func star(img *image.RGBA, cx, cy, rad float64, c color.RGBA) {
	var pts []Point
	for i := 0; i < 10; i++ {
		a := float64(i)*math.Pi/5 - math.Pi/2
		rr := rad
		if i%2 == 1 {
			rr = rad * 0.4
		}
		pts = append(pts, Point{cx + rr*math.Cos(a), cy + rr*math.Sin(a)})
	}
	// concave: draw as five triangles plus the centre pentagon
	for i := 0; i < 10; i += 2 {
		FillPolygon(img, []Point{pts[(i+9)%10], pts[i], pts[i+1]}, c)
	}
	FillPolygon(img, []Point{pts[1], pts[3], pts[5], pts[7], pts[9]}, c)
}

// displayString is for logs.
func (p PlateParts) String() string { return strings.TrimSpace(p.Display()) }
