package synth

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"docscan/internal/licnum"
)

// Specimen kinds.
const (
	SpecimenIDCard  = "idcard"  // German identity card front (Personalausweis)
	SpecimenLicence = "licence" // EU driving licence front (German or French)
)

// ID-1 card size in millimetres (ISO/IEC 7810) and corner radius.
const (
	id1W, id1H, id1Radius = 85.6, 53.98, 3.18
)

// Specimen is a rendered document front with its printed field values.
type Specimen struct {
	Image        *image.RGBA // transparent outside the rounded corners
	Kind         string      // SpecimenIDCard or SpecimenLicence
	DocumentType string      // id_card, driving_licence
	Country      string      // ISO 3166 alpha-2 of the issuer
	// Fields are the printed values as a reader should return them: names
	// and places as printed, dates as ISO dates, categories space separated.
	Fields map[string]string
	// MRZ is the one-line driving-licence MRZ when printed.
	MRZ []string
	// ValueCapH is the cap height of the field values in Image pixels.
	ValueCapH float64
	// Boxes are the field value boxes in Image pixels (x0, y0, x1, y1).
	Boxes map[string][4]float64
}

// German names with the umlauts the printed fields keep.
var (
	deSurnames = []string{"MÜLLER", "SCHRÖDER", "JÄGER", "KÖHLER", "BÄR", "GÖTZ", "KRÜGER", "MÖLLER", "SCHÄFER",
		"MUSTERMANN", "SCHMIDT", "SCHNEIDER", "FISCHER", "WEBER", "MEYER", "WAGNER", "BECKER", "HOFFMANN",
		"SCHULZ", "KOCH", "RICHTER", "KLEIN", "WOLF", "NEUMANN", "SCHWARZ", "ZIMMERMANN", "BRAUN", "HARTMANN",
		"LANGE", "WERNER", "KRAUSE", "LEHMANN", "HUBER", "KAISER", "FUCHS", "PETERS", "LANG", "SCHOLZ", "YILMAZ",
		"KOWALSKI", "NGUYEN", "SCHMIDT-KOWALSKI", "VON DER HEIDE", "POPESCU", "ROSSI"}
	deGiven = []string{"ERIKA", "MAX", "ANNA", "LUKAS", "LEON", "SOPHIE", "MARIE", "PAUL", "JONAS", "EMMA", "MIA",
		"FELIX", "ELIAS", "HANNAH", "LENA", "JAN", "PETER", "KLAUS", "URSULA", "JÜRGEN", "JÖRG", "BÄRBEL", "GÜNTER",
		"ANNA MARIA", "KARL HEINZ", "HANS-PETER", "MARIE-LUISE", "ZOE", "AHMET", "ELIF", "TIM", "SABINE", "THOMAS"}
	dePlaces = []string{"BERLIN", "KÖLN", "MÜNCHEN", "HAMBURG", "DORTMUND", "LÜBECK", "GÖTTINGEN", "DÜSSELDORF",
		"NÜRNBERG", "BREMEN", "LEIPZIG", "DRESDEN", "HANNOVER", "ESSEN", "BONN", "KIEL", "MAINZ", "ERFURT",
		"FRANKFURT AM MAIN", "FREIBURG IM BREISGAU", "BAD TÖLZ", "SAARBRÜCKEN", "ISTANBUL", "WARSCHAU"}
	deAuthorities = []string{"Stadt Köln", "Stadt Dortmund", "Landratsamt Musterhausen", "Kreis Borken",
		"Landeshauptstadt München", "Bezirksamt Mitte", "Stadt Leipzig", "Kreis Gütersloh", "Stadt Essen",
		"Landkreis Göttingen", "Stadt Bonn", "Rhein-Sieg-Kreis"}
	frSurnames   = []string{"MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND", "LEROY", "MOREAU", "SIMON", "LAURENT", "LEFEBVRE", "MICHEL", "GARCIA", "DAVID", "BERTRAND", "ROUX", "VINCENT", "FOURNIER"}
	frGiven      = []string{"Paul", "Marie", "Jean", "Camille", "Louis", "Léa", "Hugo", "Chloé", "Lucas", "Manon", "Jules", "Inès", "Arthur", "Sarah", "Émile", "Anne"}
	frPlaces     = []string{"Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Lille", "Rennes", "Reims", "Dijon", "Angers", "Brest", "Metz", "Nancy"}
	licenceCats  = []string{"AM", "A1", "A2", "A", "B1", "B", "C1", "C", "D1", "D", "BE", "C1E", "CE", "D1E", "DE", "L", "T"}
	idNumberHead = "CFGHJKLMNPRTVWXYZ"
)

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func randDate(r *rand.Rand, from, to int) time.Time {
	a := time.Date(from, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(to, 1, 1, 0, 0, 0, 0, time.UTC).Sub(a).Hours() / 24)
	return a.AddDate(0, 0, r.IntN(days))
}

func iso(t time.Time) string { return t.Format("2006-01-02") }

// RenderIDCard draws the front of a German identity card (2010 layout:
// header, card number top right, photo left, labelled fields right, CAN
// bottom right) at pxPerMM.
func RenderIDCard(r *rand.Rand, fonts *Fonts, pxPerMM float64) *Specimen {
	s := pxPerMM
	sp := &Specimen{Kind: SpecimenIDCard, DocumentType: "id_card", Country: "DE", Fields: map[string]string{}, Boxes: map[string][4]float64{}}
	img := cardBase(r, s, []color.RGBA{{226, 236, 232, 255}, {236, 232, 222, 255}, {232, 228, 238, 255}})
	ink := color.RGBA{uint8(15 + r.IntN(20)), uint8(15 + r.IntN(20)), uint8(25 + r.IntN(20)), 255}
	label := color.RGBA{60, 80, 110, 255}
	birth := randDate(r, 1945, 2006)
	issue := randDate(r, 2016, 2026)
	expiry := issue.AddDate(10, 0, -1)
	f := sp.Fields
	f["surname"] = pick(r, deSurnames)
	if r.IntN(3) == 0 {
		f["birth_name"] = pick(r, deSurnames)
	}
	f["given_names"] = pick(r, deGiven)
	f["birth_date"] = iso(birth)
	f["birth_place"] = pick(r, dePlaces)
	f["nationality"] = "DEUTSCH"
	f["expiry_date"] = iso(expiry)
	f["document_number"] = randString(r, idNumberHead, 1) + randString(r, deDocChars, 8)
	f["can"] = randString(r, "0123456789", 6)
	f["country"] = "DE"

	DrawText(img, fonts.SansBold, FitTextSize(fonts.SansBold, 3.3*s, 53*s, "BUNDESREPUBLIK DEUTSCHLAND"), 5*s, 6.4*s, "BUNDESREPUBLIK DEUTSCHLAND", ink)
	DrawText(img, fonts.SansBold, FitTextSize(fonts.SansBold, 2.6*s, 29*s, "PERSONALAUSWEIS"), 5*s, 10.6*s, "PERSONALAUSWEIS", ink)
	DrawText(img, fonts.Sans, 1.5*s, 37*s, 10.4*s, "IDENTITY CARD / CARTE D'IDENTITÉ", label)
	numSize := 3.0
	red := color.RGBA{uint8(150 + r.IntN(60)), 20, 30, 255}
	x := 61.5
	sp.draw(img, fonts.SansBold, numSize, x, 6.4, "document_number", f["document_number"], red, 81)
	photo(img, r, s, 4, 13.5, 26.5, 47.5)
	vs := 2.8 // value em size, mm
	rows := []struct {
		lab, key string
		y        float64
	}{
		{"Name / Surname / Nom", "surname", 14.2},
		{"Geburtsname / Name at birth / Nom de naissance", "birth_name", 20.3},
		{"Vornamen / Given names / Prénoms", "given_names", 26.4},
		{"Geburtstag / Date of birth", "birth_date", 32.5},
		{"Geburtsort / Place of birth", "birth_place", 38.6},
		{"Gültig bis / Date of expiry", "expiry_date", 44.7},
	}
	fx := 30.0
	for _, row := range rows {
		DrawText(img, fonts.Sans, 1.35*s, fx*s, row.y*s, row.lab, label)
		v := f[row.key]
		if v == "" {
			continue
		}
		if strings.HasSuffix(row.key, "_date") {
			v = dmy(v)
		}
		sp.draw(img, fonts.SansBold, vs, fx, row.y+3.4, row.key, v, ink, 81)
	}
	DrawText(img, fonts.Sans, 1.35*s, 56*s, 32.5*s, "Staatsangehörigkeit / Nationality", label)
	sp.draw(img, fonts.SansBold, vs, 56, 35.9, "nationality", f["nationality"], ink, 81)
	sp.draw(img, fonts.SansBold, 2.7, 70, 51.2, "can", f["can"], ink, 83)
	signature(r, img, s, 30, 51)
	sp.Image = img
	sp.ValueCapH = vs * CapHeight(fonts.SansBold) * s
	return sp
}

// RenderLicence draws the front of an EU driving licence (Directive
// 2006/126/EC model: numbered fields 1-9 right of the photo, categories
// under it): German, or French with the one-line MRZ at the bottom.
func RenderLicence(r *rand.Rand, fonts *Fonts, pxPerMM float64) *Specimen {
	s := pxPerMM
	fr := r.IntN(4) == 0
	sp := &Specimen{Kind: SpecimenLicence, DocumentType: "driving_licence", Country: "DE", Fields: map[string]string{}, Boxes: map[string][4]float64{}}
	img := cardBase(r, s, []color.RGBA{{242, 222, 226, 255}, {240, 226, 232, 255}, {236, 222, 236, 255}})
	ink := color.RGBA{uint8(10 + r.IntN(25)), uint8(10 + r.IntN(25)), uint8(20 + r.IntN(30)), 255}
	birth := randDate(r, 1945, 2006)
	issue := randDate(r, 2013, 2026)
	if issue.Before(birth.AddDate(17, 0, 0)) {
		issue = birth.AddDate(17, 2, 0)
	}
	expiry := issue.AddDate(15, 0, -1)
	f := sp.Fields
	header, state := "FÜHRERSCHEIN", "BUNDESREPUBLIK DEUTSCHLAND"
	code := "D"
	if fr {
		sp.Country, header, state, code = "FR", "PERMIS DE CONDUIRE", "RÉPUBLIQUE FRANÇAISE", "F"
		f["surname"], f["given_names"], f["birth_place"] = pick(r, frSurnames), pick(r, frGiven), pick(r, frPlaces)
		f["issuing_authority"] = "Préfecture de " + pick(r, frPlaces)
		f["document_number"] = fmt.Sprintf("%02d", issue.Year()%100) + randString(r, "ABCDEFGHJKLMNPRSTUVWXYZ", 2) + randString(r, "0123456789", 5)
	} else {
		f["surname"], f["given_names"], f["birth_place"] = pick(r, deSurnames), pick(r, deGiven), pick(r, dePlaces)
		f["issuing_authority"] = pick(r, deAuthorities)
		// authority code, serial, check character, issue counter; the
		// draws are those of the numbers before the check was printed
		// (six characters after the code), so that a seed's scenes keep
		// everything else
		n := randString(r, "ABCDEFGHJKLMNPRSTUVWXYZ", 1) + randString(r, "0123456789", 3) +
			randString(r, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789", 6)
		check, _ := licnum.Check(n)
		f["document_number"] = n[:9] + string(check) + randString(r, "0123456789", 1)
	}
	f["birth_date"], f["issue_date"], f["expiry_date"] = iso(birth), iso(issue), iso(expiry)
	var cats []string
	for _, c := range licenceCats {
		if c == "B" || r.IntN(4) == 0 {
			cats = append(cats, c)
		}
	}
	f["categories"] = strings.Join(cats, " ")
	f["country"] = sp.Country

	// EU flag with the distinguishing sign
	blue := color.RGBA{20, 50, 150, 255}
	FillRect(img, 4*s, 2.5*s, 15*s, 11*s, blue)
	for i := 0; i < 12; i++ {
		a := float64(i) * math.Pi / 6
		FillEllipse(img, (9.5+3*math.Cos(a))*s, (5.6+3*math.Sin(a))*s, 0.35*s, 0.35*s, color.RGBA{250, 210, 20, 255})
	}
	DrawText(img, fonts.SansBold, 2.4*s, (9.5-0.8)*s, 7*s, code, color.RGBA{255, 255, 255, 255})
	DrawText(img, fonts.SansBold, FitTextSize(fonts.SansBold, 3.6*s, 40*s, header), 19*s, 6.6*s, header, blue)
	DrawText(img, fonts.Sans, 1.9*s, 19*s, 10.2*s, state, blue)
	photo(img, r, s, 4, 13, 26, 44)
	vs := 2.5
	num := color.RGBA{50, 60, 90, 255}
	fx, vx := 29.0, 34.0
	row := func(lab string, y float64) { DrawText(img, fonts.Sans, 2.0*s, fx*s, y*s, lab, num) }
	row("1.", 16.5)
	sp.draw(img, fonts.SansBold, vs, vx, 16.5, "surname", f["surname"], ink, 83)
	row("2.", 21.0)
	sp.draw(img, fonts.SansBold, vs, vx, 21.0, "given_names", f["given_names"], ink, 83)
	row("3.", 25.5)
	w := sp.draw(img, fonts.Sans, vs, vx, 25.5, "birth_date", dmy(f["birth_date"]), ink, 60)
	place := f["birth_place"]
	if fr {
		place = "(" + place + ")"
	}
	sp.draw(img, fonts.Sans, vs, vx+w/s+2, 25.5, "birth_place", place, ink, 83)
	row("4a.", 30.0)
	sp.draw(img, fonts.Sans, vs, vx, 30.0, "issue_date", dmy(f["issue_date"]), ink, 55)
	DrawText(img, fonts.Sans, 2.0*s, 56*s, 30.0*s, "4c.", num)
	sp.draw(img, fonts.Sans, 2.2, 60.5, 30.0, "issuing_authority", f["issuing_authority"], ink, 83)
	row("4b.", 34.5)
	sp.draw(img, fonts.Sans, vs, vx, 34.5, "expiry_date", dmy(f["expiry_date"]), ink, 60)
	row("5.", 39.0)
	sp.draw(img, fonts.SansBold, vs, vx, 39.0, "document_number", f["document_number"], ink, 83)
	row("7.", 43.5)
	signature(r, img, s, vx, 44)
	DrawText(img, fonts.Sans, 2.0*s, 4*s, 48.5*s, "9.", num)
	sp.draw(img, fonts.SansBold, 2.3, 8.5, 48.5, "categories", strings.Join(cats, "/"), ink, 60)
	if fr {
		l := "D1FRA" + f["document_number"]
		l += string(CheckDigit(l)) + expiry.Format("060102")
		sn := strings.ReplaceAll(strings.ReplaceAll(f["surname"], " ", "<"), "-", "<")
		sn = (sn + "<<<<<<<<")[:8]
		l += sn
		l += string(CheckDigit(l))
		sp.MRZ = []string{l}
		width := 30 * mrzPitch * 0.95
		DrawFixedPitch(img, fonts.OCRB, l, (id1W-width)/2*s, 52*s, width*s, mrzCapH*s, ink)
	}
	sp.Image = img
	sp.ValueCapH = vs * CapHeight(fonts.SansBold) * s
	return sp
}

// draw prints a field value with its baseline at (x, y) mm, shrunk to end
// before xmax mm, records its box and returns its advance in pixels.
func (sp *Specimen) draw(img *image.RGBA, f *Font, size, x, y float64, key, v string, c color.RGBA, xmax float64) float64 {
	s := float64(img.Bounds().Dx()) / id1W
	sz := FitTextSize(f, size*s, (xmax-x)*s, v)
	w := DrawText(img, f, sz, x*s, y*s, v, c)
	ch := CapHeight(f) * sz
	sp.Boxes[key] = [4]float64{x * s, y*s - ch*1.15, x*s + w, y*s + ch*0.3}
	return w
}

// dmy turns an ISO date into DD.MM.YYYY as printed.
func dmy(isoDate string) string {
	t, err := time.Parse("2006-01-02", isoDate)
	if err != nil {
		return isoDate
	}
	return t.Format("02.01.2006")
}

// cardBase is a tinted ID-1 card with rounded corners, a gradient and a
// guilloche pattern.
func cardBase(r *rand.Rand, s float64, tints []color.RGBA) *image.RGBA {
	return cardBlank(r, id1W*s, id1H*s, id1Radius*s, s, tints, 0.3)
}

// photo draws a head-and-shoulders portrait block (mm coordinates).
func photo(img *image.RGBA, r *rand.Rand, s, x0, y0, x1, y1 float64) {
	grey := uint8(140 + r.IntN(80))
	FillRect(img, x0*s, y0*s, x1*s, y1*s, color.RGBA{grey, grey, grey + 8, 255})
	pw, ph := x1-x0, y1-y0
	cx := (x0 + pw/2) * s
	sub := img.SubImage(image.Rect(int(x0*s), int(y0*s), int(x1*s), int(y1*s))).(*image.RGBA)
	FillEllipse(sub, cx, (y0+ph*0.95)*s, pw*0.45*s, ph*0.3*s, color.RGBA{uint8(30 + r.IntN(80)), uint8(30 + r.IntN(80)), uint8(40 + r.IntN(80)), 255})
	FillEllipse(sub, cx, (y0+ph*0.42)*s, pw*0.24*s, ph*0.24*s, color.RGBA{uint8(90 + r.IntN(120)), uint8(70 + r.IntN(90)), uint8(60 + r.IntN(70)), 255})
	FillEllipse(sub, cx, (y0+ph*0.28)*s, pw*0.26*s, ph*0.13*s, color.RGBA{uint8(20 + r.IntN(100)), uint8(15 + r.IntN(60)), 10, 255})
}

func signature(r *rand.Rand, img *image.RGBA, s, x, y float64) {
	for i := 0; i < 7; i++ {
		StrokeLine(img, (x+float64(i)*2.2)*s, (y-r.Float64()*2.2)*s, (x+float64(i+1)*2.2)*s, (y-r.Float64()*2.2)*s, 0.22*s, color.RGBA{30, 40, 120, 220})
	}
}
